import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../core/errors.ts';
import {
  emptyDocument,
  exportNotebook,
  importNotebook,
  notebookFileName,
  type NotebookDocument,
} from '../../../core/notebook/index.ts';
import { encodeShare } from '../../../core/share/index.ts';
import { UndoRedoButtons } from '../../common/UndoRedoButtons.tsx';
import { downloadText } from '../../export/download.ts';
import { SharedBanner } from './SharedBanner.tsx';
import { ShareButton } from '../../share/ShareButton.tsx';
import { EDITOR_HASH, navigate, NOTEBOOK_HASH, START_HASH } from '../../navigation/routing.ts';
import { useEditing } from '../store/editing.ts';
import {
  canRedoNotebook,
  canUndoNotebook,
  edit,
  isBlank,
  redo,
  replaceNotebook,
  showMessage,
  undo,
  useNotebook,
  type Scope,
} from '../store/notebookStore.ts';
import { runAll, useRuns } from '../store/runs.ts';
import { AddCellBar, CellFrame } from './Cells.tsx';
import './notebook.css';

export function MessageLine() {
  const message = useNotebook((s) => s.message);
  if (!message) return null;
  return (
    <div
      className={`nb-message nb-message-${message.kind}`}
      data-testid={message.kind === 'error' ? 'error' : 'info'}
      role={message.kind === 'error' ? 'alert' : 'status'}
    >
      <span>{message.text}</span>
      <button
        type="button"
        className="link"
        aria-label="Dismiss"
        onClick={() => showMessage(undefined)}
      >
        ×
      </button>
    </div>
  );
}

/** Asks before something replaces a notebook that has cells. */
export function useConfirmReplace(): {
  ask: (what: string, replace: () => void) => void;
  prompt: React.ReactNode;
} {
  const mine = useNotebook((s) => s.history.present);
  const [pending, setPending] = useState<{ what: string; replace: () => void } | null>(null);
  const ask = (what: string, replace: () => void) => {
    if (isBlank(useNotebook.getState().history.present)) replace();
    else setPending({ what, replace });
  };
  const prompt = pending && (
    <div className="share-banner" data-testid="confirm-replace" role="alertdialog">
      <p>
        {pending.what} replaces your notebook <strong>{mine.title}</strong> ({mine.cells.length}{' '}
        cells). Undo brings it back, or export it first.
      </p>
      <button
        type="button"
        data-testid="confirm-yes"
        onClick={() => {
          pending.replace();
          setPending(null);
        }}
      >
        Replace
      </button>
      <button type="button" data-testid="confirm-no" onClick={() => setPending(null)}>
        Cancel
      </button>
    </div>
  );
  return { ask, prompt };
}

function TitleField({ doc }: { doc: NotebookDocument }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft.trim() && draft.trim() !== doc.title)
      edit({ type: 'title', title: draft.trim() });
    setDraft(null);
  };
  return (
    <input
      className="nb-title"
      data-testid="notebook-title"
      aria-label="Notebook title"
      value={draft ?? doc.title}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

function useUndoShortcuts(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // Text fields keep their own undo.
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const onFile = async (file: File) => {
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      showMessage({ kind: 'error', text: `Cannot read the file: ${errorMessage(err)}` });
      return;
    }
    const read = importNotebook(text);
    if (!read.ok) {
      showMessage({ kind: 'error', text: read.error });
      return;
    }
    const had = !isBlank(useNotebook.getState().history.present);
    replaceNotebook(read.doc, {
      kind: 'info',
      text: `Imported “${read.doc.title}”.${had ? ' Undo brings your previous notebook back.' : ''}`,
    });
  };
  return (
    <>
      <button
        type="button"
        data-testid="import-notebook"
        onClick={() => input.current?.click()}
        title="Open a notebook file (.einsketch.json); Undo brings the current one back"
      >
        Import
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        data-testid="import-file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void onFile(file);
        }}
      />
    </>
  );
}

/**
 * A notebook: the user's own (editable, autosaved, with undo) or a tutorial (read-only;
 * its run cells still run, and "Edit a copy" makes it the user's notebook).
 */
export function NotebookView({
  scope,
  doc,
  tutorialTitle,
}: {
  scope: Scope;
  doc: NotebookDocument;
  tutorialTitle?: string;
}) {
  const readOnly = scope.kind === 'tutorial';
  const canUndo = useNotebook(canUndoNotebook);
  const canRedo = useNotebook(canRedoNotebook);
  const editing = useEditing((s) => s.session);
  const anyRunning = useRuns((s) => Object.values(s.runs).some((r) => r.status === 'running'));
  const { ask, prompt } = useConfirmReplace();
  useUndoShortcuts(!readOnly);
  const hasRuns = doc.cells.some((c) => c.kind === 'run');

  const copyTutorial = () =>
    ask('Editing a copy of this tutorial', () => {
      replaceNotebook(doc, {
        kind: 'info',
        text: `“${doc.title}” is now your notebook: edit away.`,
      });
      navigate(NOTEBOOK_HASH);
    });

  return (
    <div className="nb" data-testid="notebook" data-scope={scope.kind}>
      <div className="nb-toolbar" role="toolbar" aria-label="Notebook">
        {readOnly ? (
          <h2 className="nb-title-static" data-testid="notebook-title">
            {tutorialTitle ?? doc.title}
          </h2>
        ) : (
          <TitleField doc={doc} />
        )}
        <span className="nb-toolbar-actions">
          {!readOnly && (
            <UndoRedoButtons
              undo={undo}
              redo={redo}
              canUndo={canUndo}
              canRedo={canRedo}
              testIdPrefix="nb-"
            />
          )}
          {hasRuns && (
            <button
              type="button"
              data-testid="run-all"
              onClick={() => void runAll(scope)}
              disabled={anyRunning}
              title="Run every run cell, in order"
            >
              Run all
            </button>
          )}
          {readOnly && (
            <button
              type="button"
              data-testid="copy-tutorial"
              onClick={copyTutorial}
              title="Make this tutorial your own notebook, to edit"
            >
              Edit a copy
            </button>
          )}
          <ShareButton
            payload={() => encodeShare(doc)}
            title="A link that opens this notebook (without run results: whoever opens it runs the cells)"
          />
          <button
            type="button"
            data-testid="export-notebook"
            onClick={() => {
              try {
                downloadText(exportNotebook(doc), notebookFileName(doc.title), 'application/json');
              } catch (err) {
                showMessage({ kind: 'error', text: errorMessage(err) });
              }
            }}
            title="Save the notebook as a file (.einsketch.json), with the run results"
          >
            Export
          </button>
          {!readOnly && <ImportButton />}
          {!readOnly && (
            <button
              type="button"
              data-testid="new-notebook"
              onClick={() =>
                ask('A new notebook', () => replaceNotebook(emptyDocument(), undefined))
              }
              title="Start an empty notebook (Undo brings this one back)"
            >
              New
            </button>
          )}
        </span>
      </div>
      <div className="nb-body">
        <MessageLine />
        {!readOnly && <SharedBanner />}
        {prompt}
        {editing && (
          <div className="nb-editing" data-testid="editing-note">
            Diagram “{editing.cell.title ?? editing.cellId}” is open in the editor.{' '}
            <button type="button" onClick={() => navigate(EDITOR_HASH)}>
              Go to the editor
            </button>
          </div>
        )}
        {readOnly && (
          <p className="muted small nb-readonly-note">
            A tutorial: read it, run its cells, open its diagrams in the editor. “Edit a copy” makes
            it your own notebook. <a href={START_HASH}>All tutorials</a>
          </p>
        )}
        {doc.cells.length === 0 && (
          <div className="nb-empty" data-testid="notebook-empty">
            <p>
              This notebook is empty. Add text (Markdown with $math$), a diagram (a preset, or the
              editor's current diagram) and a run cell to time it on your GPU — or start from a{' '}
              <a href={START_HASH}>tutorial</a>.
            </p>
          </div>
        )}
        {doc.cells.map((cell, k) => (
          <CellFrame
            key={cell.id}
            cell={cell}
            index={k}
            doc={doc}
            scope={scope}
            readOnly={readOnly}
          />
        ))}
        {!readOnly && <AddCellBar doc={doc} />}
      </div>
    </div>
  );
}
