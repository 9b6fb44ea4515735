import { Background, ConnectionMode, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Network } from '../../../core/network.ts';
import {
  flowEdges,
  flowNodes,
  type FlowNode,
} from '../../editor/components/canvas/flowElements.ts';
import { HubNode } from '../../editor/components/canvas/HubNode.tsx';
import { OutputNode } from '../../editor/components/canvas/OutputNode.tsx';
import { TensorNode } from '../../editor/components/canvas/TensorNode.tsx';
import { buildDiagram } from '../../editor/model/graph.ts';
import { layoutDiagram, type Point } from '../../editor/model/layout.ts';
import '../../editor/editor.css';

// The editor's node views, so a notebook diagram looks exactly like the editor's.
const nodeTypes = { tensor: TensorNode, hub: HubNode, boundary: OutputNode };
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
 * edges, layout). Panning and zooming work; editing happens in the editor ("Open in
 * editor"). Page scrolling is left alone so a long notebook scrolls past it.
 */
export function DiagramCanvas({
  network,
  positions,
  testId = 'canvas',
}: {
  network: Network;
  positions?: Readonly<Record<string, Point>>;
  testId?: string;
}) {
  const [ref, near] = useNearViewport();
  const { nodes, edges, signature } = useMemo(() => {
    const diagram = buildDiagram(network);
    const layout = layoutDiagram(network, diagram, positions ?? {});
    return {
      nodes: flowNodes(network, diagram, layout, NO_HIGHLIGHT),
      edges: flowEdges(diagram, NO_HIGHLIGHT, undefined),
      signature: diagram.nodes.map((n) => n.id).join('|'),
    };
  }, [network, positions]);
  return (
    <div className="nb-canvas" data-testid={testId} ref={ref}>
      {near && (
        // A new network remounts the view, so it is fitted again (fitView acts on mount only).
        <ReactFlowProvider key={signature}>
          <ReactFlow<FlowNode>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            // Legs are source handles on both ends of an index, as in the editor.
            connectionMode={ConnectionMode.Loose}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            fitView
            fitViewOptions={{ padding: 0.1, maxZoom: 1.2 }}
            minZoom={0.05}
            maxZoom={3}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} size={1} />
            <Controls showInteractive={false} />
          </ReactFlow>
        </ReactFlowProvider>
      )}
    </div>
  );
}
