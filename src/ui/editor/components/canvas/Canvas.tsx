import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState, type MouseEvent } from 'react';
import { connect } from '../../model/edits.ts';
import { edgeTypes, nodeTypes } from '../../../diagram/flowTypes.ts';
import { useFlowDiagram } from '../../../diagram/useFlowDiagram.ts';
import { editNetwork, moveNodes, useEditor } from '../../store/editorStore.ts';
import { select, useUi } from '../../store/uiStore.ts';
import type { FlowNode } from '../../../diagram/flowElements.ts';
import { legRefOf } from './legRef.ts';

const MINIMAP_FROM_NODES = 30;

/** Fits the view whenever the set of nodes changes (a new preset, a derivative, a step). */
function FitOnStructureChange({ signature }: { signature: string }) {
  const { fitView } = useReactFlow();
  useEffect(() => {
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.1, maxZoom: 2 }));
    return () => cancelAnimationFrame(frame);
  }, [signature, fitView]);
  return null;
}

export function Canvas() {
  const network = useEditor((s) => s.derived.network);
  const highlight = useEditor((s) => s.derived.highlight);
  const positions = useEditor((s) => s.doc.positions);
  const selection = useUi((s) => s.selection);
  const selectedIndex = selection?.kind === 'index' ? selection.index : undefined;
  const {
    nodes: placed,
    edges,
    signature,
    pending,
    error,
  } = useFlowDiagram(network, highlight, { positions, selectedIndex, editable: true });
  // Positions of nodes being dragged; committed to the document when the drag ends.
  const [dragging, setDragging] = useState<Record<string, XYPosition>>({});

  const selectedNode =
    selection?.kind === 'tensor'
      ? `t:${selection.id}`
      : selection?.kind === 'index'
        ? `h:${selection.index}`
        : undefined;
  const nodes = useMemo(
    () =>
      placed.map((n) => {
        const position = dragging[n.id];
        const selected = n.id === selectedNode;
        return position || selected ? { ...n, position: position ?? n.position, selected } : n;
      }),
    [placed, dragging, selectedNode],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const moved: Record<string, XYPosition> = {};
    for (const c of changes) if (c.type === 'position' && c.position) moved[c.id] = c.position;
    if (Object.keys(moved).length > 0) setDragging((d) => ({ ...d, ...moved }));
  }, []);

  const onNodeDragStop = useCallback((_e: unknown, _node: FlowNode, dragged: FlowNode[]) => {
    moveNodes(Object.fromEntries(dragged.map((n) => [n.id, n.position])));
    setDragging({});
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const a = legRefOf(c.source, c.sourceHandle);
    const b = legRefOf(c.target, c.targetHandle);
    if (a && b) editNetwork((net) => connect(net, a, b));
  }, []);

  const onNodeClick = useCallback((_e: MouseEvent, node: FlowNode) => {
    if (node.type === 'tensor') select({ kind: 'tensor', id: node.data.tensor.id });
    else if (node.type === 'hub') select({ kind: 'index', index: node.data.index });
  }, []);

  const onEdgeClick = useCallback((_e: MouseEvent, edge: Edge) => {
    const index = (edge.data as { index?: string } | undefined)?.index;
    if (index) select({ kind: 'index', index });
  }, []);

  const onPaneClick = useCallback(() => select(null), []);

  return (
    <div
      className="canvas"
      data-testid="canvas"
      data-layout-pending={pending ? '' : undefined}
      aria-busy={pending}
    >
      {error && (
        <p className="canvas-error" data-testid="error">
          The diagram could not be laid out: {error}
        </p>
      )}
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        onEdgeClick={onEdgeClick}
        onPaneClick={onPaneClick}
        connectionMode={ConnectionMode.Loose}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        fitView
        minZoom={0.05}
        maxZoom={3}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {/* Diagrams that fit the canvas need no overview, which would cover their border. */}
        {nodes.length > MINIMAP_FROM_NODES && (
          <MiniMap pannable zoomable style={{ width: 120, height: 80 }} />
        )}
        <FitOnStructureChange signature={signature} />
      </ReactFlow>
    </div>
  );
}
