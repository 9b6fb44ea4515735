import { create } from 'zustand';
import { errorMessage } from '../../../core/errors.ts';
import { diagramCellSchema, freshCellId, type DiagramCell } from '../../../core/notebook/index.ts';
import { cellOfSketch, sketchOfCell, type Sketch } from '../../../core/diagram/sketch.ts';
import { deserialize, serialize } from '../../editor/model/persist.ts';
import { derive } from '../../editor/model/replayDoc.ts';
import {
  resetTo as resetEditor,
  showMessage as showEditorMessage,
  useEditor,
} from '../../editor/store/editorStore.ts';
import { docOf, edit, showMessage, useNotebook, type Scope } from './notebookStore.ts';

/**
 * "Open in editor": a diagram cell is edited with the full editor and written back. The
 * editor holds one document (the user's own diagram, autosaved), so that document is set
 * aside while a cell is being edited and comes back when the user saves or discards.
 * The set-aside work is kept in localStorage too, so a reload in the middle neither loses
 * it nor the cell being edited.
 */
export const EDITING_STORAGE_KEY = 'einsketch.notebook.editing.v1';

export interface EditingSession {
  scope: Scope;
  cellId: string;
  /** The cell as it was opened (its title and view settings are kept on save). */
  cell: DiagramCell;
  /** The sketch the cell opened as: saving an unchanged one keeps the cell as is. */
  startDoc: Sketch;
  /** The user's own editor work, restored afterwards. */
  userDoc: Sketch;
}

export const useEditing = create<{ session?: EditingSession }>()(() => ({}));

let storage: Storage | undefined;

function persist(session: EditingSession | undefined): void {
  try {
    if (!session) storage?.removeItem(EDITING_STORAGE_KEY);
    else {
      storage?.setItem(
        EDITING_STORAGE_KEY,
        JSON.stringify({
          scope: session.scope,
          cellId: session.cellId,
          cell: session.cell,
          startDoc: serialize(session.startDoc),
          userDoc: serialize(session.userDoc),
        }),
      );
    }
  } catch (_err) {
    // Storage full or disabled: the session still works until the page is closed.
  }
}

function setSession(session: EditingSession | undefined): void {
  useEditing.setState({ session }, true);
  persist(session);
}

/** Reads a session saved before a reload; anything unreadable is dropped. */
export function restoreEditing(from: Storage | undefined): void {
  storage = from;
  let text: string | null;
  try {
    text = from?.getItem(EDITING_STORAGE_KEY) ?? null;
  } catch (_err) {
    return;
  }
  if (text === null) return;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const cell = diagramCellSchema.safeParse(raw.cell);
    const scope = raw.scope as Scope | undefined;
    const okScope =
      scope?.kind === 'mine' || (scope?.kind === 'tutorial' && typeof scope.slug === 'string');
    const startDoc = deserialize(typeof raw.startDoc === 'string' ? raw.startDoc : null);
    const userDoc = deserialize(typeof raw.userDoc === 'string' ? raw.userDoc : null);
    if (!cell.success || !okScope || startDoc.kind !== 'ok' || userDoc.kind !== 'ok') {
      throw new Error('unreadable');
    }
    useEditing.setState({
      session: {
        scope: scope!,
        cellId: cell.data.id,
        cell: cell.data,
        startDoc: startDoc.doc,
        userDoc: userDoc.doc,
      },
    });
  } catch (_err) {
    persist(undefined);
  }
}

/**
 * Loads a diagram cell into the editor (setting the user's editor work aside). Returns
 * false, with the reason in the notebook's message bar, when it cannot.
 */
export function openInEditor(scope: Scope, cellId: string): boolean {
  const current = useEditing.getState().session;
  if (current) {
    showMessage({
      kind: 'error',
      text: `Diagram “${current.cell.title ?? current.cellId}” is open in the editor: save or discard it first.`,
    });
    return false;
  }
  const doc = docOf(useNotebook.getState(), scope);
  const cell = doc?.cells.find((c) => c.id === cellId);
  if (!cell || cell.kind !== 'diagram') {
    showMessage({ kind: 'error', text: `there is no diagram cell '${cellId}'` });
    return false;
  }
  // The editor edits the cell's own source and steps; only its view settings stay behind.
  const sketch = sketchOfCell(cell);
  try {
    derive(sketch);
  } catch (err) {
    showMessage({
      kind: 'error',
      text: `Cannot open this diagram in the editor: ${errorMessage(err)}`,
    });
    return false;
  }
  const userDoc = useEditor.getState().doc;
  setSession({ scope, cellId, cell, startDoc: sketch, userDoc });
  resetEditor(sketch);
  return true;
}

export type FinishChoice =
  /** Write the editor's diagram back into the cell (the user's notebook only). */
  | 'save'
  /** Drop the changes. */
  | 'discard'
  /** Keep the diagram in the editor as the user's own work (replaces it). */
  | 'keep';

/**
 * Ends the session. Returns the route to go back to, or null (with the reason shown in the
 * editor) when saving failed and the session goes on.
 */
export function finishEditing(choice: FinishChoice): Scope | null {
  const session = useEditing.getState().session;
  if (!session) return null;
  if (choice === 'save' && session.scope.kind === 'mine') {
    const doc = useEditor.getState().doc;
    if (JSON.stringify(doc) !== JSON.stringify(session.startDoc)) {
      const mine = useNotebook.getState().history.present;
      const exists = mine.cells.some((c) => c.id === session.cellId && c.kind === 'diagram');
      try {
        // The cell may have been deleted meanwhile: the diagram then comes back as a new cell.
        const id = exists ? session.cellId : freshCellId(mine, 'diagram');
        const cell = cellOfSketch(doc, id, session.cell);
        const ok = exists ? edit({ type: 'replace', id, cell }) : edit({ type: 'add', cell });
        if (!ok) throw new Error(useNotebook.getState().message?.text ?? 'the notebook refused it');
        showMessage({
          kind: 'info',
          text: exists
            ? `Saved the diagram “${cell.title ?? id}” from the editor.`
            : `The diagram's cell was gone, so it was added at the end as '${id}'.`,
        });
      } catch (err) {
        showEditorMessage({
          kind: 'error',
          text: `Cannot save this diagram into the notebook: ${errorMessage(err)}`,
        });
        return null;
      }
    }
  }
  if (choice !== 'keep') resetEditor(session.userDoc);
  setSession(undefined);
  return session.scope;
}
