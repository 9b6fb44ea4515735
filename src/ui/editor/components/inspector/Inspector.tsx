import { useEditor } from '../../store/editorStore.ts';
import { useUi } from '../../store/uiStore.ts';
import { IndexInspector } from './IndexInspector.tsx';
import { TensorInspector } from './TensorInspector.tsx';

/** Edits and actions for what is selected on the canvas. */
export function Inspector() {
  const network = useEditor((s) => s.derived.network);
  const selection = useUi((s) => s.selection);
  const tensor =
    selection?.kind === 'tensor' ? network.tensors.find((t) => t.id === selection.id) : undefined;
  return (
    <section className="panel inspector-panel" aria-label="Selection">
      <h2>Selection</h2>
      {tensor ? (
        <TensorInspector network={network} tensor={tensor} />
      ) : selection?.kind === 'index' && network.sizes[selection.index] !== undefined ? (
        <IndexInspector network={network} index={selection.index} />
      ) : (
        <p className="muted small">
          Click a tensor to differentiate or edit it, or an edge to edit its index.
        </p>
      )}
    </section>
  );
}
