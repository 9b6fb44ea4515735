import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { NEW_OPEN_LEG } from './handles.ts';
import type { OutputFlowNode } from './flowElements.ts';
import { LegHandles } from './LegHandles.tsx';

/**
 * The diagram's right border: each open leg ends here in its name (and size), in the order
 * of the result's axes. In the editor a last "+" leg takes a dragged leg to make it open.
 */
function OutputNodeView({ data }: NodeProps<OutputFlowNode>) {
  return (
    <div
      className="output-node"
      data-testid="output-node"
      title={`result, shape [${data.shape.join(', ')}]; drag a leg to + to make it open`}
    >
      {data.handles.map((h, k) => (
        <span key={h.id} className="free-leg-name" style={{ top: h.y + h.height / 2 }}>
          {h.id === NEW_OPEN_LEG ? '+' : data.legs[k]}
        </span>
      ))}
      <LegHandles handles={data.handles} />
    </div>
  );
}

export const OutputNode = memo(OutputNodeView);
