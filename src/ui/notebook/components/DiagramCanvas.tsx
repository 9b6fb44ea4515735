import { Background, ConnectionMode, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useRef, useState } from 'react';
import type { Network } from '../../../core/network.ts';
import type { FlowNode } from '../../diagram/flowElements.ts';
import type { Point } from '../../diagram/diagramLayout.ts';
import { FitOnStructureChange } from '../../diagram/FitOnStructureChange.tsx';
import { edgeTypes, nodeTypes } from '../../diagram/flowTypes.ts';
import { useFlowDiagram } from '../../diagram/useFlowDiagram.ts';
import '../../editor/editor.css';
import { FIT_PADDING } from '../../diagram/fitPadding.ts';

const NO_HIGHLIGHT = { tensors: [], legs: [] };

/** Mounts its children only once the box is near the viewport (long tutorials stay fast). */
function useNearViewport(): [React.RefObject<HTMLDivElement | null>, boolean] {
  const ref = useRef<HTMLDivElement>(null);
  // Without IntersectionObserver (old browsers, tests) everything mounts at once.
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true);
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [near]);
  return [ref, near];
}

/**
 * A read-only view of a network with the editor's canvas pieces (node views, handles,
 * edges, layout) and its animation: a new network (a step, a frame of a played derivation,
 * an undo) glides from the one drawn, as in the editor (useDiagramTransition; nothing moves
 * under prefers-reduced-motion). Panning and zooming work; editing happens in the editor
 * ("Open in editor"). Page scrolling is left alone so a long notebook scrolls past it.
 */
export function DiagramCanvas({
  network,
  positions,
  highlight = NO_HIGHLIGHT,
  testId = 'canvas',
}: {
  network: Network;
  positions?: Readonly<Record<string, Point>>;
  highlight?: { tensors: string[]; legs: string[] };
  testId?: string;
}) {
  const [ref, near] = useNearViewport();
  const { nodes, edges, signature, bounds, pending, moving, error } = useFlowDiagram(
    network,
    highlight,
    { positions, editable: false, animate: true },
  );
  return (
    <div
      className="nb-canvas"
      data-testid={testId}
      ref={ref}
      data-layout-pending={pending ? '' : undefined}
      data-diagram-moving={moving ? '' : undefined}
    >
      {error && (
        <p className="canvas-error" data-testid="error">
          The diagram could not be laid out: {error}
        </p>
      )}
      {near && nodes.length > 0 && (
        <ReactFlowProvider>
          <ReactFlow<FlowNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            // Legs are source handles on both ends of an index, as in the editor.
            connectionMode={ConnectionMode.Loose}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            fitView
            fitViewOptions={{ padding: FIT_PADDING, maxZoom: 1.6 }}
            minZoom={0.05}
            maxZoom={3}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} size={1} />
            <Controls showInteractive={false} />
            <FitOnStructureChange
              signature={signature}
              bounds={bounds}
              glide={moving}
              maxZoom={1.6}
            />
          </ReactFlow>
        </ReactFlowProvider>
      )}
    </div>
  );
}
