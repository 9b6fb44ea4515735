import { useReactFlow } from '@xyflow/react';
import type { TensorKind } from '../../../core/network.ts';
import { UndoRedoButtons } from '../../common/UndoRedoButtons.tsx';
import {
  addTensor,
  autoLayoutPositions,
  canRedoEditor,
  canUndoEditor,
  editNetwork,
  redo,
  undo,
  useEditor,
} from '../store/editorStore.ts';
import { select, useUi } from '../store/uiStore.ts';
import { FIT_PADDING } from '../../diagram/fitPadding.ts';

const ADD: { kind: TensorKind; label: string; title: string }[] = [
  { kind: 'data', label: '+ tensor', title: 'Add a data tensor with two legs' },
  {
    kind: 'index_pattern',
    label: '+ Π',
    title: 'Add an index pattern (edit I, K, S, P, D in the selection panel)',
  },
  { kind: 'delta', label: '+ δ', title: 'Add a Kronecker delta' },
  { kind: 'scalar', label: '+ scalar', title: 'Add a constant factor' },
];

function add(kind: TensorKind) {
  const id = addTensor(kind);
  if (id) select({ kind: 'tensor', id });
}

/** Undo/redo, drawing and view commands above the canvas. */
export function Toolbar() {
  const canUndo = useEditor(canUndoEditor);
  const canRedo = useEditor(canRedoEditor);
  const selection = useUi((s) => s.selection);
  const { fitView } = useReactFlow();
  const deleteSelected = () => {
    if (selection?.kind !== 'tensor') return;
    if (editNetwork({ op: 'removeTensor', id: selection.id })) select(null);
  };
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <UndoRedoButtons
        undo={undo}
        redo={redo}
        canUndo={canUndo}
        canRedo={canRedo}
        redoKeys="Ctrl+Shift+Z or Ctrl+Y"
      />
      <span className="toolbar-sep" />
      {ADD.map((a) => (
        <button
          key={a.kind}
          type="button"
          data-testid={`add-${a.kind}`}
          onClick={() => add(a.kind)}
          title={a.title}
        >
          {a.label}
        </button>
      ))}
      <button
        type="button"
        data-testid="delete-selected"
        onClick={deleteSelected}
        disabled={selection?.kind !== 'tensor'}
        title="Delete the selected tensor (Delete)"
      >
        Delete
      </button>
      <span className="toolbar-sep" />
      <button
        type="button"
        data-testid="auto-layout"
        onClick={autoLayoutPositions}
        title="Lay the diagram out again (forget manual moves)"
      >
        Auto layout
      </button>
      <button
        type="button"
        data-testid="fit-view"
        onClick={() => void fitView({ padding: FIT_PADDING, maxZoom: 2, duration: 200 })}
        title="Fit the diagram into view"
      >
        Fit view
      </button>
    </div>
  );
}
