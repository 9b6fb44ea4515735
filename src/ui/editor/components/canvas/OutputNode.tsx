import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { OutputFlowNode } from './flowElements.ts';
import { LegHandles } from './LegHandles.tsx';

/** The boundary: open legs end here, in the order of the result's axes. */
function OutputNodeView({ data }: NodeProps<OutputFlowNode>) {
  return (
    <div
      className="output-node"
      data-testid="output-node"
      title={`result, shape [${data.shape.join(', ')}]; drag a leg to + to make it open`}
    >
      <span className="output-title">output</span>
      <LegHandles handles={data.handles} />
    </div>
  );
}

export const OutputNode = memo(OutputNodeView);
