import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { TensorFlowNode } from './flowElements.ts';
import { LegHandles } from './LegHandles.tsx';

const KIND_NAMES = {
  data: 'data tensor',
  index_pattern: 'index pattern',
  delta: 'Kronecker delta',
  scalar: 'scalar',
};

/**
 * A tensor in the paper's visual language: a data tensor is a labelled box, Π a compact
 * glyph with its legs marked k / o / i, δ a dot and a scalar a small circle. Details (Π's
 * hyper-parameters, shapes) are in the hover text and the inspector.
 */
function TensorNodeView({ data, selected }: NodeProps<TensorFlowNode>) {
  const { tensor, details, handles, highlighted, phase } = data;
  const classes = [
    'tn-node',
    `kind-${tensor.kind}`,
    selected ? 'is-selected' : '',
    highlighted ? 'is-changed' : '',
  ];
  return (
    <div
      className={classes.join(' ')}
      // What a step removed is still drawn while it fades out, under another name.
      data-testid={`${phase === 'leaving' ? 'leaving-' : ''}tensor-${tensor.id}`}
      data-kind={tensor.kind}
      data-phase={phase}
      title={`${KIND_NAMES[tensor.kind]} ${tensor.label}${tensor.kind === 'data' ? ` (input ${tensor.source})` : ''}: ${details}`}
    >
      {tensor.kind !== 'delta' && <div className="tn-label">{tensor.label}</div>}
      <LegHandles handles={handles} />
    </div>
  );
}

export const TensorNode = memo(TensorNodeView);
