import { useSyncExternalStore } from 'react';
import { parseRoute } from '../../core/share/index.ts';

/**
 * The app's hash routes. docs/design.md §4.2 fixes `#/tutorial/<slug>` and `#/s/<payload>`; the
 * app adds `#/editor` and `#/notebook`. The bare address keeps opening the editor, as it
 * always has (saved bookmarks and the editor's own tests rely on that); `#/` is the start
 * page that lists the tutorials.
 */
export type AppRoute =
  | { kind: 'editor' }
  | { kind: 'start' }
  | { kind: 'notebook' }
  | { kind: 'tutorial'; slug: string }
  | { kind: 'share'; payload: string }
  | { kind: 'invalid'; error: string };

export const START_HASH = '#/';
export const EDITOR_HASH = '#/editor';
export const NOTEBOOK_HASH = '#/notebook';

export function appRoute(hash: string): AppRoute {
  if (hash === '' || hash === '#') return { kind: 'editor' };
  const path = hash.replace(/^#/, '').replace(/\/$/, '');
  if (path === '/editor') return { kind: 'editor' };
  if (path === '/notebook') return { kind: 'notebook' };
  if (path === '/start') return { kind: 'start' };
  const route = parseRoute(hash);
  return route.kind === 'home' ? { kind: 'start' } : route;
}

/** Fired after navigate() with replace, which changes the address without a hashchange. */
const ROUTE_EVENT = 'einsketch:route';

export function subscribeRoute(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  window.addEventListener(ROUTE_EVENT, listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener(ROUTE_EVENT, listener);
  };
}

const currentHash = () => window.location.hash;

export function useRoute(): AppRoute {
  const hash = useSyncExternalStore(subscribeRoute, currentHash, () => '');
  return appRoute(hash);
}

/**
 * Goes to `hash`. `replace` swaps the current history entry (so Back does not return to a
 * share link that was already handled).
 */
export function navigate(hash: string, replace = false): void {
  if (window.location.hash === hash) return;
  if (replace) {
    window.history.replaceState(window.history.state, '', hash);
    window.dispatchEvent(new Event(ROUTE_EVENT));
  } else {
    window.location.hash = hash;
  }
}

/** The full address of a route (what a share link copies). */
export function absoluteUrl(hash: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${hash}`;
}
