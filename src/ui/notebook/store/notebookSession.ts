import { emptyDocument, exportNotebook, importNotebook } from '../../../core/notebook/index.ts';
import { openSharedPayload } from './openShared.ts';
import { appRoute, navigate, NOTEBOOK_HASH, subscribeRoute } from '../../navigation/routing.ts';
import { loadTutorial } from '../tutorials.ts';
import { restoreEditing } from './editing.ts';
import { mineDoc, openTutorialDoc, resetNotebook, useNotebook } from './notebookStore.ts';

/**
 * Connects the notebook to the browser: restores the saved notebook (a damaged save is
 * set aside under its own key, reported, and the notebook starts fresh — never a blank
 * page), saves every change, and acts on the address: a share link is decoded (and
 * opened or offered), a tutorial is parsed for the visit.
 */
export const NOTEBOOK_STORAGE_KEY = 'einsketch.notebook.v1';
export const DAMAGED_SUFFIX = '.damaged';

export function restoreNotebook(storage: Storage | undefined): void {
  let text: string | null = null;
  let readError: string | undefined;
  try {
    text = storage?.getItem(NOTEBOOK_STORAGE_KEY) ?? null;
  } catch (err) {
    readError = err instanceof Error ? err.message : String(err);
  }
  if (readError) {
    resetNotebook(emptyDocument(), {
      kind: 'error',
      text: `Your saved notebook could not be read (${readError}); started a new one.`,
    });
    return;
  }
  if (text === null) {
    resetNotebook(emptyDocument());
    return;
  }
  const read = importNotebook(text);
  if (read.ok) {
    resetNotebook(read.doc);
    return;
  }
  let kept = '';
  try {
    storage?.setItem(NOTEBOOK_STORAGE_KEY + DAMAGED_SUFFIX, text);
    kept = ` The damaged copy is kept in this browser under ${NOTEBOOK_STORAGE_KEY}${DAMAGED_SUFFIX}.`;
  } catch (_err) {
    // No room for the copy: the error below still says what happened.
  }
  resetNotebook(emptyDocument(), {
    kind: 'error',
    text: `Your saved notebook could not be restored (${read.error.replace(/^not a notebook file: /, '')}); started a new one.${kept}`,
  });
}

/** Acts on the current address: share links and tutorials. */
export function handleRoute(hash: string = window.location.hash): void {
  const route = appRoute(hash);
  if (route.kind === 'share') {
    // A link that opened straight away leaves the address; a link waiting for an answer
    // or a bad one stays, so a reload shows the same thing again.
    if (openSharedPayload(route.payload) === 'opened') navigate(NOTEBOOK_HASH, true);
  } else if (route.kind === 'tutorial') {
    const tutorial = loadTutorial(route.slug);
    if (tutorial?.ok) openTutorialDoc(route.slug, tutorial.doc);
  }
}

/** Saves the user's notebook on every change; returns the unsubscribe. */
export function startAutosave(storage: Storage | undefined): () => void {
  return useNotebook.subscribe((state, prev) => {
    const doc = mineDoc(state);
    if (doc === mineDoc(prev)) return;
    try {
      storage?.setItem(NOTEBOOK_STORAGE_KEY, exportNotebook(doc, { indent: 0 }));
    } catch (_err) {
      // Storage full or disabled: the notebook stays in memory and the export still works.
    }
  });
}

export function startNotebookSession(
  storage: Storage | undefined = globalThis.localStorage,
): () => void {
  restoreNotebook(storage);
  restoreEditing(storage);
  const unsubscribe = startAutosave(storage);
  let last = window.location.hash;
  const onRoute = () => {
    // navigate(…, true) reports the replaced address too; act once per address.
    if (window.location.hash === last) return;
    last = window.location.hash;
    handleRoute(last);
  };
  const unsubscribeRoute = subscribeRoute(onRoute);
  handleRoute(last);
  return () => {
    unsubscribe();
    unsubscribeRoute();
  };
}
