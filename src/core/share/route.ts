/**
 * The app's hash routes (docs/design.md §4.2): `#/tutorial/<slug>` opens tutorials/<slug>.md,
 * `#/s/<payload>` opens a shared notebook, anything else empty is the start page.
 */

export type Route =
  | { kind: 'home' }
  | { kind: 'tutorial'; slug: string }
  | { kind: 'share'; payload: string }
  | { kind: 'invalid'; error: string };

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_HASH_LENGTH = 100_000;

export function isSlug(value: string): boolean {
  return value.length <= 64 && SLUG.test(value);
}

export function parseRoute(hash: string): Route {
  if (typeof hash !== 'string') return { kind: 'invalid', error: 'the address is not text' };
  if (hash.length > MAX_HASH_LENGTH)
    return {
      kind: 'invalid',
      error: `the address has ${hash.length} characters; the limit is ${MAX_HASH_LENGTH}`,
    };
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { kind: 'home' };
  const tutorial = /^\/tutorial\/(.*)$/.exec(path);
  if (tutorial) {
    const slug = tutorial[1].replace(/\/$/, '');
    return isSlug(slug)
      ? { kind: 'tutorial', slug }
      : { kind: 'invalid', error: `'${slug.slice(0, 64)}' is not a tutorial name` };
  }
  const share = /^\/s\/(.*)$/.exec(path);
  if (share) return { kind: 'share', payload: share[1] };
  return { kind: 'invalid', error: `unknown address '${path.slice(0, 64)}'` };
}

export function tutorialRoute(slug: string): string {
  if (!isSlug(slug)) throw new RangeError(`'${slug}' is not a tutorial name`);
  return `#/tutorial/${slug}`;
}

export function shareRoute(payload: string): string {
  return `#/s/${payload}`;
}
