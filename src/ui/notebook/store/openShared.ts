import { withoutResults, type NotebookDocument } from '../../../core/notebook/index.ts';
import { decodeShare } from '../../../core/share/index.ts';
import {
  isBlank,
  replaceNotebook,
  setPendingShare,
  showMessage,
  useNotebook,
} from './notebookStore.ts';

/**
 * Opening a share link. The link is decoded and validated by the core (never throws); a
 * bad link shows its error and changes nothing. A good one replaces the user's notebook
 * only when that is empty or already the same, otherwise it waits for the user's answer
 * (the banner), so a link never overwrites work without asking.
 */
export type OpenOutcome = 'opened' | 'pending' | 'error';

function upgradeNote(migratedFrom: number | undefined): string {
  return migratedFrom
    ? ` It was made by an older einsketch (format ${migratedFrom}) and has been upgraded.`
    : '';
}

function sameDocument(a: NotebookDocument, b: NotebookDocument): boolean {
  return JSON.stringify(withoutResults(a)) === JSON.stringify(withoutResults(b));
}

export function openSharedPayload(payload: string): OpenOutcome {
  const result = decodeShare(payload);
  if (!result.ok) {
    setPendingShare(undefined, { kind: 'error', text: result.error });
    return 'error';
  }
  const mine = useNotebook.getState().history.present;
  if (isBlank(mine) || sameDocument(mine, result.doc)) {
    if (!sameDocument(mine, result.doc)) replaceNotebook(result.doc);
    setPendingShare(undefined, {
      kind: 'info',
      text: `Opened the shared notebook “${result.doc.title}”.${upgradeNote(result.migratedFrom)}`,
    });
    return 'opened';
  }
  setPendingShare({ doc: result.doc, migratedFrom: result.migratedFrom });
  return 'pending';
}

/** The user chose the shared notebook: it replaces theirs as one undo step. */
export function acceptShare(): void {
  const pending = useNotebook.getState().pendingShare;
  if (!pending) return;
  replaceNotebook(pending.doc);
  setPendingShare(undefined, {
    kind: 'info',
    text: `Opened the shared notebook “${pending.doc.title}”; Undo brings yours back.${upgradeNote(pending.migratedFrom)}`,
  });
}

/** The user kept their notebook: the link is dropped. */
export function declineShare(): void {
  if (!useNotebook.getState().pendingShare) return;
  setPendingShare(undefined);
  showMessage({ kind: 'info', text: 'Kept your notebook; the shared one was not opened.' });
}
