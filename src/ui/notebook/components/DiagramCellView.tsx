import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo, useState } from 'react';
import { errorMessage } from '../../../core/errors.ts';
import { diagramChecks } from '../../../core/check/diagramChecks.ts';
import { exportEinsum, exportLatex } from '../../../core/export/index.ts';
import { freshCellId, type DiagramCell, type DiagramSource } from '../../../core/notebook/index.ts';
import { encodeDiagramShare } from '../../../core/share/index.ts';
import { ExportMenu } from '../../export/ExportMenu.tsx';
import { ShareButton } from '../../share/ShareButton.tsx';
import { describeStep } from '../../../core/diagram/describeStep.ts';
import { cellTitle, diagramModel } from '../model/diagramModel.ts';
import { navigate, EDITOR_HASH } from '../../navigation/routing.ts';
import { openInEditor } from '../store/editing.ts';
import { edit, useNotebook, type Scope } from '../store/notebookStore.ts';
import { DerivationView } from './DerivationView.tsx';

function dims(xs: readonly number[]): string {
  return xs.join('×');
}

/** One line saying where the diagram comes from. */
export function describeSource(source: DiagramSource): string {
  switch (source.kind) {
    case 'preset': {
      const l = source.layer;
      const pad = Array.isArray(l.padding) ? dims(l.padding) : l.padding;
      const name = source.name ? ` (${source.name})` : '';
      const groups = l.groups > 1 ? `, ${l.groups} groups` : '';
      const dil = l.dilation.some((d) => d !== 1) ? `, dilation ${dims(l.dilation)}` : '';
      return `${source.op}${name}: batch ${l.batch}, ${l.inChannels}→${l.outChannels} channels, input ${dims(l.input)}, kernel ${dims(l.kernel)}, stride ${dims(l.stride)}, padding ${pad}${dil}${groups}`;
    }
    case 'einsum':
      return `einsum ${source.equation}`;
    case 'network':
      return 'a drawn network';
  }
}

function Formula({ tex }: { tex: string }) {
  const html = useMemo(
    () =>
      katex.renderToString(tex, {
        trust: false,
        throwOnError: false,
        displayMode: true,
        strict: 'ignore',
      }),
    [tex],
  );
  return (
    <div
      className="nb-formula"
      data-testid="formula"
      data-tex={tex}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

function TitleInput({ cell }: { cell: DiagramCell }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft.trim() !== (cell.title ?? '')) {
      edit({ type: 'update', id: cell.id, patch: { title: draft.trim() || undefined } });
    }
    setDraft(null);
  };
  return (
    <input
      className="nb-cell-title"
      data-testid="diagram-title"
      value={draft ?? cell.title ?? ''}
      aria-label="Diagram title"
      title="Diagram title"
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

/**
 * A diagram cell: the network after its steps (the editor's canvas pieces, read-only), its
 * einsum and formula, the steps, and what can be done with it: open it in the editor,
 * share it, export it, run it.
 */
export function DiagramCellView({
  cell,
  scope,
  readOnly,
}: {
  cell: DiagramCell;
  scope: Scope;
  readOnly: boolean;
}) {
  const model = diagramModel(cell);
  const [term, setTerm] = useState(0);
  const [letters, setLetters] = useState(cell.view.style === 'letters');
  const shown = model.ok ? Math.min(term, model.terms.length - 1) : 0;
  const text = useMemo(() => {
    if (!model.ok) return null;
    try {
      return {
        einsum: exportEinsum(model.subject, letters ? 'letters' : 'named'),
        tex: exportLatex(model.subject),
      };
    } catch (err) {
      return { einsum: errorMessage(err), tex: '' };
    }
  }, [model, letters]);
  const positions =
    cell.view.layout === 'manual' && model.ok && model.terms.length === 1
      ? cell.view.positions
      : undefined;

  const open = () => {
    if (openInEditor(scope, cell.id)) navigate(EDITOR_HASH);
  };
  const addRun = () => {
    const doc = useNotebook.getState().history.present;
    const at = doc.cells.findIndex((c) => c.id === cell.id) + 1;
    edit({
      type: 'add',
      cell: { id: freshCellId(doc, 'run'), kind: 'run', diagram: cell.id },
      index: at,
    });
  };

  return (
    <div className="nb-diagram">
      <div className="nb-diagram-head">
        {readOnly ? (
          <h3 className="nb-cell-heading" data-testid="diagram-title">
            {cellTitle(cell)}
          </h3>
        ) : (
          <TitleInput cell={cell} />
        )}
        <span className="nb-actions">
          <button
            type="button"
            data-testid="open-in-editor"
            onClick={open}
            title={
              readOnly
                ? 'Explore this diagram in the editor (your own editor work is set aside and comes back)'
                : 'Edit this diagram with the full editor, then save it back here'
            }
          >
            Open in editor
          </button>
          {!readOnly && (
            <button
              type="button"
              data-testid="add-run-for"
              onClick={addRun}
              title="Add a run cell for this diagram"
            >
              + Run cell
            </button>
          )}
          <ShareButton
            testId="share-diagram"
            label="Share diagram"
            title="A link to this diagram alone"
            payload={() => encodeDiagramShare(cell, cellTitle(cell))}
          />
          <ExportMenu
            testId="export-menu"
            target={() => {
              if (!model.ok) throw new Error(model.error);
              return {
                subject: model.subject,
                network: model.terms[shown].network,
                positions,
                title: cellTitle(cell),
                checks: () => diagramChecks(cell),
              };
            }}
          />
        </span>
      </div>
      <p className="muted small nb-source">{describeSource(cell.source)}</p>
      {!model.ok ? (
        <p className="nb-error" data-testid="error" role="alert">
          {model.error}
        </p>
      ) : (
        <>
          {model.terms.length > 1 && (
            <div className="row nb-terms" role="tablist" aria-label="Terms of the sum">
              <span className="muted small">A sum of {model.terms.length} networks; showing</span>
              {model.terms.map((t, k) => (
                <button
                  key={k}
                  type="button"
                  role="tab"
                  aria-selected={k === shown}
                  className={k === shown ? 'is-current' : ''}
                  data-testid={`term-${k + 1}`}
                  onClick={() => setTerm(k)}
                >
                  term {k + 1}
                  {t.coefficient !== 1 ? ` (×${t.coefficient})` : ''}
                </button>
              ))}
            </div>
          )}
          <DerivationView
            cell={cell}
            network={model.terms[shown].network}
            term={shown}
            positions={positions}
          />
          <div className="nb-einsum">
            <code data-testid="einsum">{text?.einsum}</code>
            <button
              type="button"
              className="link small"
              data-testid="einsum-style"
              onClick={() => setLetters(!letters)}
              title="Switch between named indices and single letters"
            >
              {letters ? 'named' : 'letters'}
            </button>
          </div>
          {cell.view.showFormula && text?.tex && <Formula tex={text.tex} />}
        </>
      )}
      {cell.view.showSteps && cell.steps.length > 0 && (
        <div className="nb-steps">
          <ol data-testid="steps">
            {cell.steps.map((s, k) => (
              <li key={k}>{describeStep(s)}</li>
            ))}
          </ol>
          {!readOnly && (
            <button
              type="button"
              className="link small"
              data-testid="remove-step"
              onClick={() =>
                edit({ type: 'update', id: cell.id, patch: { steps: cell.steps.slice(0, -1) } })
              }
              title="Remove the last step (Undo brings it back)"
            >
              remove the last step
            </button>
          )}
        </div>
      )}
    </div>
  );
}
