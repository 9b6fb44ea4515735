import { useState } from 'react';
import {
  dependentCells,
  freshCellId,
  type Cell,
  type NotebookDocument,
} from '../../../core/notebook/index.ts';
import { useEditor } from '../../editor/store/editorStore.ts';
import { cellOfSketch } from '../../../core/diagram/sketch.ts';
import { newChart } from '../model/chartEdit.ts';
import { cellTitle } from '../model/diagramModel.ts';
import { edit, showMessage, type Scope } from '../store/notebookStore.ts';
import { ChartCellView } from './ChartCellView.tsx';
import { DiagramCellView } from './DiagramCellView.tsx';
import { ProseCellView } from './ProseCellView.tsx';
import { RunCellView } from './RunCellView.tsx';
import { errorMessage } from '../../../core/errors.ts';
import { PRESETS } from '../../../core/diagram/presets.ts';

const KIND_LABEL = { prose: 'text', diagram: 'diagram', run: 'run', chart: 'chart' } as const;

function deleteWithNotice(doc: NotebookDocument, cell: Cell) {
  const runs = cell.kind === 'diagram' ? dependentCells(doc, cell.id) : [];
  if (!edit({ type: 'delete', id: cell.id })) return;
  showMessage({
    kind: 'info',
    text: runs.length
      ? `Deleted the diagram and the ${runs.length} run cell${runs.length === 1 ? '' : 's'} that evaluated it; Undo brings them back.`
      : 'Deleted the cell; Undo brings it back.',
  });
}

/** One cell with its frame: kind, and (in the user's notebook) move and delete. */
export function CellFrame({
  cell,
  index,
  doc,
  scope,
  readOnly,
}: {
  cell: Cell;
  index: number;
  doc: NotebookDocument;
  scope: Scope;
  readOnly: boolean;
}) {
  return (
    <section
      className={`nb-cell nb-cell-${cell.kind}${readOnly ? '' : ' is-editable'}`}
      data-testid="cell"
      data-cell-id={cell.id}
      data-kind={cell.kind}
      aria-label={`${KIND_LABEL[cell.kind]} cell ${index + 1}`}
    >
      {!readOnly && (
        <div className="nb-cell-bar">
          <span className="nb-cell-kind">{KIND_LABEL[cell.kind]}</span>
          <button
            type="button"
            className="icon"
            data-testid="cell-up"
            disabled={index === 0}
            onClick={() => edit({ type: 'move', id: cell.id, to: index - 1 })}
            title="Move up"
            aria-label="Move the cell up"
          >
            ↑
          </button>
          <button
            type="button"
            className="icon"
            data-testid="cell-down"
            disabled={index === doc.cells.length - 1}
            onClick={() => edit({ type: 'move', id: cell.id, to: index + 1 })}
            title="Move down"
            aria-label="Move the cell down"
          >
            ↓
          </button>
          <button
            type="button"
            className="icon"
            data-testid="cell-delete"
            onClick={() => deleteWithNotice(doc, cell)}
            title={
              cell.kind === 'diagram' ? 'Delete (with the run cells of this diagram)' : 'Delete'
            }
            aria-label="Delete the cell"
          >
            ✕
          </button>
        </div>
      )}
      {cell.kind === 'prose' && <ProseCellView cell={cell} readOnly={readOnly} />}
      {cell.kind === 'diagram' && <DiagramCellView cell={cell} scope={scope} readOnly={readOnly} />}
      {cell.kind === 'run' && (
        <RunCellView cell={cell} doc={doc} scope={scope} readOnly={readOnly} />
      )}
      {cell.kind === 'chart' && <ChartCellView cell={cell} doc={doc} readOnly={readOnly} />}
    </section>
  );
}

const FROM_EDITOR = '__editor';

/** Adds cells at the end of the user's notebook. */
export function AddCellBar({ doc }: { doc: NotebookDocument }) {
  const [preset, setPreset] = useState('');
  const lastDiagram = [...doc.cells].reverse().find((c) => c.kind === 'diagram');
  const addDiagram = (choice: string) => {
    const id = freshCellId(doc, 'diagram');
    try {
      if (choice === FROM_EDITOR) {
        edit({ type: 'add', cell: cellOfSketch(useEditor.getState().doc, id) });
        return;
      }
      const p = PRESETS.find((x) => x.id === choice);
      if (!p) return;
      edit({
        type: 'add',
        cell: {
          id,
          kind: 'diagram',
          title: p.title,
          source: { kind: 'preset', op: p.op, layer: structuredClone(p.layer), presetId: p.id },
        },
      });
    } catch (err) {
      showMessage({ kind: 'error', text: `Cannot add the diagram: ${errorMessage(err)}` });
    }
  };
  return (
    <div className="nb-add" role="group" aria-label="Add a cell">
      <button
        type="button"
        data-testid="add-prose"
        onClick={() =>
          edit({ type: 'add', cell: { id: freshCellId(doc, 'prose'), kind: 'prose', text: '' } })
        }
      >
        + Text
      </button>
      <label className="nb-add-diagram">
        <span>+ Diagram</span>
        <select
          data-testid="add-diagram"
          value={preset}
          onChange={(e) => {
            addDiagram(e.target.value);
            setPreset('');
          }}
          aria-label="Add a diagram cell"
        >
          <option value="" disabled>
            choose…
          </option>
          <option value={FROM_EDITOR}>the editor's current diagram</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        data-testid="add-run"
        disabled={!lastDiagram}
        title={
          lastDiagram
            ? `Add a run cell for “${cellTitle(lastDiagram)}”`
            : 'Add a diagram first: a run cell evaluates one'
        }
        onClick={() =>
          lastDiagram &&
          edit({
            type: 'add',
            cell: { id: freshCellId(doc, 'run'), kind: 'run', diagram: lastDiagram.id },
          })
        }
      >
        + Run
      </button>
      <button
        type="button"
        data-testid="add-chart"
        disabled={!doc.cells.some((c) => c.kind === 'run')}
        title={
          doc.cells.some((c) => c.kind === 'run')
            ? 'Add a chart of what the run cells measured'
            : 'Add a run cell first: a chart plots run cells'
        }
        onClick={() => {
          const chart = newChart(doc, freshCellId(doc, 'chart'));
          if (chart) edit({ type: 'add', cell: chart });
        }}
      >
        + Chart
      </button>
    </div>
  );
}
