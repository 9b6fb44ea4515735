/**
 * Links in untrusted Markdown (tutorials, shared notebooks) may only go to the web
 * (http, https), to e-mail (mailto) or to einsketch's own routes (#/…). Everything else —
 * javascript:, data:, vbscript:, file:, protocol-relative //host, relative paths — is
 * refused, whatever its case, whitespace or encoding tricks.
 */

const MAX_HREF_LENGTH = 2048;
const ROUTE = /^#\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

/** The href to use for a link, or null when the link must not be followed. */
export function safeLinkHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const value = href.trim();
  if (value.length === 0 || value.length > MAX_HREF_LENGTH) return null;
  // Control characters and whitespace inside a URL are how 'java\tscript:' hides.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(value)) return null;
  if (value.startsWith('#')) return ROUTE.test(value) ? value : null;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'mailto') return /^mailto:[^<>"'`\\]+$/i.test(value) ? value : null;
  if (scheme !== 'http' && scheme !== 'https') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}

export function isSafeLinkHref(href: unknown): boolean {
  return safeLinkHref(href) !== null;
}
