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

function TensorNodeView({ data, selected }: NodeProps<TensorFlowNode>) {
  const { tensor, subtitle, handles, highlighted, inset } = data;
  const classes = [
    'tn-node',
    `kind-${tensor.kind}`,
    selected ? 'is-selected' : '',
    highlighted ? 'is-changed' : '',
  ];
  return (
    <div
      className={classes.join(' ')}
      data-testid={`tensor-${tensor.id}`}
      data-kind={tensor.kind}
      title={`${KIND_NAMES[tensor.kind]} ${tensor.label}${tensor.kind === 'data' ? ` (input ${tensor.source})` : ''}: ${subtitle.replace('\n', ' ')}`}
    >
      <div
        className="tn-center"
        style={{
          paddingLeft: inset.left,
          paddingRight: inset.right,
          paddingTop: inset.top,
          paddingBottom: inset.bottom,
        }}
      >
        <div className="tn-label">{tensor.label}</div>
        {subtitle && <div className="tn-sub">{subtitle}</div>}
      </div>
      <LegHandles handles={handles} />
    </div>
  );
}

export const TensorNode = memo(TensorNodeView);
