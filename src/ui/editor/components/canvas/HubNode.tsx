import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { HubFlowNode } from './flowElements.ts';
import { LegHandles } from './LegHandles.tsx';

/** A hyperedge: one index shared by more than two ends meets here. */
function HubNodeView({ data, selected }: NodeProps<HubFlowNode>) {
  const { index, size, open, ends, handles, highlighted } = data;
  const classes = [
    'hub-node',
    open ? 'is-open' : '',
    selected ? 'is-selected' : '',
    highlighted ? 'is-changed' : '',
  ];
  const what = ends === 1 ? 'summed on one tensor' : `${open ? 'open, ' : ''}on ${ends} ends`;
  return (
    <div
      className={classes.join(' ')}
      data-testid={`hub-${index}`}
      title={`index ${index} (size ${size}), ${what}`}
    >
      <span className="hub-label">
        {index} · {size}
      </span>
      <LegHandles handles={handles} showLabels={false} />
    </div>
  );
}

export const HubNode = memo(HubNodeView);
