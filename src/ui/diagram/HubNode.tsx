import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { HubFlowNode } from './flowElements.ts';
import { LegHandles } from './LegHandles.tsx';

/** A hyperedge: the legs of one index shared by more than two ends meet at this dot. */
function HubNodeView({ data, selected }: NodeProps<HubFlowNode>) {
  const { index, size, open, ends, handles, highlighted, phase } = data;
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
      data-testid={`${phase === 'leaving' ? 'leaving-' : ''}hub-${index}`}
      data-phase={phase}
      title={`index ${index} (size ${size}), ${what}`}
    >
      <LegHandles handles={handles} />
    </div>
  );
}

export const HubNode = memo(HubNodeView);
