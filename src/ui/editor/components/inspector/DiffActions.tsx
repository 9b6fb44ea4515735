import type { Network, Tensor } from '../../../../core/network.ts';
import { differentiate } from '../../store/editorStore.ts';

/** Differentiate with respect to the selected tensor: cut it out, or contract/substitute a vector. */
export function DiffActions({ network, tensor }: { network: Network; tensor: Tensor }) {
  if (tensor.kind !== 'data') {
    return (
      <p className="muted small">
        Only data tensors are differentiated: {tensor.label} is a constant.
      </p>
    );
  }
  const occurrences = network.tensors.filter(
    (t) => t.kind === 'data' && t.source === tensor.source,
  ).length;
  return (
    <div className="diff-actions" role="group" aria-label="Differentiate">
      <button
        type="button"
        data-testid="action-derivative"
        onClick={() => differentiate('derivative', tensor)}
        title={`Cut ${tensor.label} out: its legs become open legs`}
      >
        ∂ / ∂{tensor.label}
      </button>
      {occurrences > 1 && (
        <button
          type="button"
          data-testid="action-derivative-all"
          onClick={() => differentiate('derivative', tensor, true)}
          title={`Product rule: one term per occurrence of input ${tensor.source}`}
        >
          ∂ / ∂{tensor.source} (all {occurrences})
        </button>
      )}
      <button
        type="button"
        data-testid="action-vjp"
        onClick={() => differentiate('vjp', tensor)}
        title="Vector-Jacobian product: contract the open legs with a new tensor V"
      >
        VJP
      </button>
      <button
        type="button"
        data-testid="action-jvp"
        onClick={() => differentiate('jvp', tensor)}
        title={`Jacobian-vector product: a tangent replaces ${tensor.label}`}
      >
        JVP
      </button>
    </div>
  );
}
