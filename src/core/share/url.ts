/**
 * Links in untrusted Markdown (tutorials, shared notebooks) may only go to the web
 * (http, https), to e-mail (mailto) or to einsketch's own routes (#/…). Everything else —
 * javascript:, data:, vbscript:, file:, protocol-relative //host, relative paths — is
 * refused, whatever its case, whitespace or encoding tricks.
 */

const MAX_HREF_LENGTH = 2048;
const ROUTE = /^#\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

const INVISIBLE = new Set([0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);

/** Control characters, spaces of any kind and zero-width characters. */
function hasHiddenCharacter(text: string): boolean {
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || (c >= 0x2000 && c <= 0x200f) || INVISIBLE.has(c))
      return true;
  }
  return false;
}

/** The href to use for a link, or null when the link must not be followed. */
export function safeLinkHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const value = href.trim();
  if (value.length === 0 || value.length > MAX_HREF_LENGTH) return null;
  // Control characters and whitespace inside a URL are how 'java\tscript:' hides.
  if (hasHiddenCharacter(value)) return null;
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
