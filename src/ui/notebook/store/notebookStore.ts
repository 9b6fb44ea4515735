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
  type Cell,
  type History,
  type NotebookDocument,
  type NotebookEdit,
  type RunCell,
  type RunResult,
} from '../../../core/notebook/index.ts';

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
  /** A shared notebook the user has not yet opened or declined. */
  pendingShare?: PendingShare;
  message?: Message;
}

function initial(doc: NotebookDocument = emptyDocument()): NotebookState {
  return {
    history: createHistory(doc, NOTEBOOK_HISTORY_LIMIT),
    tutorials: {},
    pendingShare: undefined,
    message: undefined,
  };
}

export const useNotebook = create<NotebookState>()(() => initial());

const get = () => useNotebook.getState();
const set = (partial: Partial<NotebookState>) => useNotebook.setState(partial);

export function docOf(state: NotebookState, scope: Scope): NotebookDocument | undefined {
  return scope.kind === 'mine' ? state.history.present : state.tutorials[scope.slug];
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
    next = applyEdit(history.present, e);
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

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Run results are not edits (undo does not remove them), so moving through the history
 * carries each run cell's last result over to the other version of the document where the
 * run cell and the diagram it evaluates are unchanged.
 */
export function carryResults(from: NotebookDocument, to: NotebookDocument): NotebookDocument {
  const byId = new Map(from.cells.map((c) => [c.id, c]));
  let changed = false;
  const cells = to.cells.map((cell): Cell => {
    if (cell.kind !== 'run') return cell;
    const old = byId.get(cell.id);
    if (old?.kind !== 'run' || !old.lastResult) return cell;
    const same =
      sameJson({ ...old, lastResult: null }, { ...cell, lastResult: null }) &&
      sameJson(
        byId.get(old.diagram),
        to.cells.find((c) => c.id === cell.diagram),
      );
    if (!same || sameJson(old.lastResult, cell.lastResult)) return cell;
    changed = true;
    return { ...cell, lastResult: old.lastResult };
  });
  return changed ? { ...to, cells } : to;
}

function move(step: (h: History<NotebookDocument>) => History<NotebookDocument>): void {
  const { history } = get();
  const next = step(history);
  if (next === history) return;
  set({
    history: { ...next, present: carryResults(history.present, next.present) },
    message: undefined,
  });
}

export const undo = (): void => move(historyUndo);
export const redo = (): void => move(historyRedo);
export const canUndoNotebook = (s: NotebookState): boolean => canUndo(s.history);
export const canRedoNotebook = (s: NotebookState): boolean => canRedo(s.history);

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

/** Stores a run's outcome on its cell, outside the undo history. */
export function setRunResult(scope: Scope, id: string, result: RunResult | null): void {
  const state = get();
  if (scope.kind === 'mine') {
    const present = patchRunCell(state.history.present, id, { lastResult: result });
    set({ history: { ...state.history, present } });
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
