import { useState } from 'react';
import type { ProseCell } from '../../../core/notebook/index.ts';
import { edit } from '../store/notebookStore.ts';
import { Markdown } from './Markdown.tsx';

/** Text with math: rendered, or a text box while it is being written (double-click or Edit). */
export function ProseCellView({ cell, readOnly }: { cell: ProseCell; readOnly: boolean }) {
  // A new, empty cell opens ready for typing.
  const [draft, setDraft] = useState<string | null>(
    !readOnly && cell.text === '' ? cell.text : null,
  );
  const commit = () => {
    if (draft !== null && draft !== cell.text)
      edit({ type: 'update', id: cell.id, patch: { text: draft } });
    setDraft(null);
  };
  if (draft !== null) {
    return (
      <div className="prose-edit">
        <textarea
          data-testid="prose-input"
          value={draft}
          rows={Math.min(24, Math.max(4, draft.split('\n').length + 1))}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
            if (e.key === 'Escape') setDraft(null);
          }}
          aria-label="Markdown text; $…$ for math"
          autoFocus
        />
        <div className="row">
          <button type="button" data-testid="prose-done" onClick={commit} title="Ctrl+Enter">
            Done
          </button>
          <button type="button" onClick={() => setDraft(null)} title="Escape">
            Cancel
          </button>
          <span className="muted small">Markdown; $…$ and $$…$$ for math.</span>
        </div>
      </div>
    );
  }
  return (
    <div
      className="prose-view"
      data-testid="prose-view"
      onDoubleClick={readOnly ? undefined : () => setDraft(cell.text)}
    >
      {cell.text.trim() === '' ? (
        <p className="muted small">Empty text cell: double-click to write.</p>
      ) : (
        <Markdown text={cell.text} />
      )}
      {!readOnly && (
        <button
          type="button"
          className="prose-edit-button"
          data-testid="prose-edit"
          onClick={() => setDraft(cell.text)}
        >
          Edit
        </button>
      )}
    </div>
  );
}
