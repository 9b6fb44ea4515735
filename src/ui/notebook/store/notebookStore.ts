import { create } from 'zustand';
import { errorMessage } from '../../../core/errors.ts';
import {
  applyEdit,
  canRedo,
  canUndo,
  createHistory,
  emptyDocument,
  record,
  redo as historyRedo,
  undo as historyUndo,
  type History,
  type NotebookDocument,
  type NotebookEdit,
  type RunCell,
  type RunResult,
} from '../../../core/notebook/index.ts';
import { runFingerprint, withResults, type StoredResult } from './runResults.ts';

/**
 * The notebook's state: the user's own notebook with its undo history (autosaved, see
 * notebookSession.ts), the tutorial being read (in memory only: tutorials are read-only, but their
 * run cells run and keep their results for the visit), a shared notebook waiting for the
 * user's answer, and the message bar. Documents are immutable; every edit goes through the
 * core's reducer (applyEdit), which validates it.
 */

export const NOTEBOOK_HISTORY_LIMIT = 200;

export interface Message {
  kind: 'error' | 'info';
  text: string;
}

/** Which document a view shows: the user's own, or a tutorial (read-only). */
export type Scope = { kind: 'mine' } | { kind: 'tutorial'; slug: string };

export const MINE: Scope = { kind: 'mine' };

export interface PendingShare {
  doc: NotebookDocument;
  migratedFrom?: number;
}

export interface NotebookState {
  history: History<NotebookDocument>;
  /** Tutorials opened this visit, by slug (run results and run settings live here). */
  tutorials: Record<string, NotebookDocument>;
  /**
   * Results of the user's runs, outside the undo history: a result shows on every version
   * of the document (undone or redone) whose run cell and diagrams are the ones it ran.
   */
  results: Record<string, StoredResult>;
  /** A shared notebook the user has not yet opened or declined. */
  pendingShare?: PendingShare;
  message?: Message;
}

function initial(doc: NotebookDocument = emptyDocument()): NotebookState {
  return {
    history: createHistory(doc, NOTEBOOK_HISTORY_LIMIT),
    tutorials: {},
    results: {},
    pendingShare: undefined,
    message: undefined,
  };
}

export const useNotebook = create<NotebookState>()(() => initial());

const get = () => useNotebook.getState();
const set = (partial: Partial<NotebookState>) => useNotebook.setState(partial);

export function docOf(state: NotebookState, scope: Scope): NotebookDocument | undefined {
  return scope.kind === 'mine' ? mineDoc(state) : state.tutorials[scope.slug];
}

/** The user's notebook as shown and saved: the present document with the results that fit it. */
export function mineDoc(state: NotebookState): NotebookDocument {
  return withResults(state.history.present, state.results);
}

export function showMessage(message: Message | undefined): void {
  set({ message });
}

/** Starts over from a document (a restored session): history and views are cleared. */
export function resetNotebook(doc: NotebookDocument, message?: Message): void {
  useNotebook.setState({ ...initial(doc), message }, true);
}

/** Applies an edit to the user's notebook as one undo step; says why when it is refused. */
export function edit(e: NotebookEdit): boolean {
  const { history } = get();
  let next: NotebookDocument;
  try {
    // Applied to the document as shown, so results of the runs so far stay with it.
    next = applyEdit(mineDoc(get()), e);
  } catch (err) {
    set({ message: { kind: 'error', text: errorMessage(err) } });
    return false;
  }
  set({ history: record(history, next), message: undefined });
  return true;
}

/** Replaces the whole notebook (import, a shared link, a tutorial copy) as one undo step. */
export function replaceNotebook(doc: NotebookDocument, message?: Message): void {
  const { history } = get();
  set({ history: record(history, doc), message });
}

export const undo = (): void => move(historyUndo);
export const redo = (): void => move(historyRedo);
export const canUndoNotebook = (s: NotebookState): boolean => canUndo(s.history);
export const canRedoNotebook = (s: NotebookState): boolean => canRedo(s.history);

function move(step: (h: History<NotebookDocument>) => History<NotebookDocument>): void {
  const { history } = get();
  const next = step(history);
  if (next !== history) set({ history: next, message: undefined });
}

function patchRunCell(
  doc: NotebookDocument,
  id: string,
  patch: Partial<RunCell>,
): NotebookDocument {
  return {
    ...doc,
    cells: doc.cells.map((c) => (c.id === id && c.kind === 'run' ? { ...c, ...patch } : c)),
  };
}

/** Stores a run's outcome beside the user's notebook (or on a tutorial's cell), never as an undo step. */
export function setRunResult(scope: Scope, id: string, result: RunResult | null): void {
  const state = get();
  if (scope.kind === 'mine') {
    const cell = state.history.present.cells.find((c) => c.id === id);
    if (cell?.kind !== 'run') return;
    const stored = { result, fingerprint: runFingerprint(state.history.present, cell) };
    set({ results: { ...state.results, [id]: stored } });
  } else {
    const doc = state.tutorials[scope.slug];
    if (!doc) return;
    set({
      tutorials: {
        ...state.tutorials,
        [scope.slug]: patchRunCell(doc, id, { lastResult: result }),
      },
    });
  }
}

/** Run settings (repeats, backend, …): an edit of the user's notebook; free in a tutorial. */
export function setRunSettings(
  scope: Scope,
  id: string,
  patch: Partial<
    Pick<
      RunCell,
      | 'backend'
      | 'seed'
      | 'repeats'
      | 'warmup'
      | 'draws'
      | 'compareBuiltin'
      | 'diagram'
      | 'inputs'
      | 'estimates'
    >
  >,
): boolean {
  if (scope.kind === 'mine') return edit({ type: 'update', id, patch });
  const state = get();
  const doc = state.tutorials[scope.slug];
  if (!doc) return false;
  set({ tutorials: { ...state.tutorials, [scope.slug]: patchRunCell(doc, id, patch) } });
  return true;
}

/** Keeps a tutorial's document for this visit (the first open parses it). */
export function openTutorialDoc(slug: string, doc: NotebookDocument): void {
  const state = get();
  if (state.tutorials[slug]) return;
  set({ tutorials: { ...state.tutorials, [slug]: doc } });
}

export function setPendingShare(pending: PendingShare | undefined, message?: Message): void {
  set({ pendingShare: pending, message });
}

/** A notebook with nothing in it: replacing it loses nothing. */
export function isBlank(doc: NotebookDocument): boolean {
  return doc.cells.length === 0;
}
