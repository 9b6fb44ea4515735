import { useNotebook } from '../store/notebookStore.ts';
import { navigate, NOTEBOOK_HASH } from '../../navigation/routing.ts';
import { acceptShare, declineShare } from '../store/openShared.ts';
import '../../share/share.css';

/** Asks before a shared notebook replaces the user's own (never done silently). */
export function SharedBanner() {
  const pending = useNotebook((s) => s.pendingShare);
  const mine = useNotebook((s) => s.history.present);
  if (!pending) return null;
  const cells = pending.doc.cells.length;
  const done = () => navigate(NOTEBOOK_HASH, true);
  return (
    <div className="share-banner" data-testid="share-banner" role="alertdialog">
      <p>
        This link holds a shared notebook, <strong>{pending.doc.title}</strong> ({cells} cell
        {cells === 1 ? '' : 's'}). Opening it replaces your notebook <strong>{mine.title}</strong> (
        {mine.cells.length} cell{mine.cells.length === 1 ? '' : 's'}
        ); Undo brings yours back.
      </p>
      <button
        type="button"
        data-testid="open-shared"
        onClick={() => {
          acceptShare();
          done();
        }}
      >
        Open the shared notebook
      </button>
      <button
        type="button"
        data-testid="keep-mine"
        onClick={() => {
          declineShare();
          done();
        }}
      >
        Keep mine
      </button>
    </div>
  );
}
