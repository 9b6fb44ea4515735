import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState, type MouseEvent } from 'react';
import { edgeTypes, nodeTypes } from '../../../diagram/flowTypes.ts';
import { FitOnStructureChange } from '../../../diagram/FitOnStructureChange.tsx';
import { useFlowDiagram } from '../../../diagram/useFlowDiagram.ts';
import { useReplay } from '../../store/replayStore.ts';
import { editNetwork, moveNodes, useEditor } from '../../store/editorStore.ts';
import { select, useUi } from '../../store/uiStore.ts';
import type { FlowNode } from '../../../diagram/flowElements.ts';
import { legRefOf } from './legRef.ts';

const MINIMAP_FROM_NODES = 30;

export function Canvas() {
  const live = useEditor((s) => s.derived);
  const doc = useEditor((s) => s.doc);
  const motion = useEditor((s) => s.motion);
  // A replay of the derivation shows its frames here; the document stays as it is.
  const frame = useReplay((s) => (s.doc === doc ? s.frames[s.at] : undefined));
  const network = frame?.network ?? live.network;
  const highlight = frame?.highlight ?? live.highlight;
  const positions = frame ? undefined : doc.positions;
  const animate = frame !== undefined || motion;
  const selection = useUi((s) => s.selection);
  const selectedIndex = selection?.kind === 'index' ? selection.index : undefined;
  const {
    nodes: placed,
    edges,
    signature,
    bounds,
    pending,
    moving,
    error,
  } = useFlowDiagram(network, highlight, { positions, selectedIndex, editable: true, animate });
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
    if (a && b) editNetwork({ op: 'connect', from: a, to: b });
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
      data-diagram-moving={moving ? '' : undefined}
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
        <FitOnStructureChange signature={signature} bounds={bounds} glide={moving} />
      </ReactFlow>
    </div>
  );
}
