import { MarkerType, Position, type Edge, type Node } from '@xyflow/react';
import type { Network, Tensor } from '../../../../core/network.ts';
import { buildDiagram, type Diagram } from '../../model/graph.ts';
import { nodeHandles, type HandleSpec } from '../../model/handles.ts';
import { tensorSubtitle, type Layout, type Side } from '../../model/layout.ts';

/** The diagram as React Flow nodes and edges (sizes and handles given, never measured). */
export interface TensorNodeData extends Record<string, unknown> {
  tensor: Tensor;
  inset: Record<Side, number>;
  subtitle: string;
  handles: HandleSpec[];
  highlighted: boolean;
}

export interface HubNodeData extends Record<string, unknown> {
  index: string;
  size: number;
  open: boolean;
  ends: number;
  handles: HandleSpec[];
  highlighted: boolean;
}

export interface OutputNodeData extends Record<string, unknown> {
  handles: HandleSpec[];
  shape: number[];
}

export type TensorFlowNode = Node<TensorNodeData, 'tensor'>;
export type HubFlowNode = Node<HubNodeData, 'hub'>;
export type OutputFlowNode = Node<OutputNodeData, 'boundary'>;
export type FlowNode = TensorFlowNode | HubFlowNode | OutputFlowNode;

export const POSITION: Record<Side, Position> = {
  left: Position.Left,
  right: Position.Right,
  top: Position.Top,
  bottom: Position.Bottom,
};

const NO_INSET: Record<Side, number> = { left: 0, right: 0, top: 0, bottom: 0 };

export interface Highlight {
  tensors: readonly string[];
  legs: readonly string[];
}

export { buildDiagram };

export function flowNodes(
  net: Network,
  diagram: Diagram,
  layout: Layout,
  highlight: Highlight,
): FlowNode[] {
  const tensors = new Map(net.tensors.map((t) => [t.id, t]));
  const changed = new Set(highlight.tensors);
  const changedLegs = new Set(highlight.legs);
  return diagram.nodes.map((node): FlowNode => {
    const box = layout.boxes[node.id];
    const handles = nodeHandles(net, node, layout);
    const common = {
      id: node.id,
      position: box.position,
      width: box.width,
      height: box.height,
      // Known sizes stand in for measurement: React Flow drops `measured` whenever a node
      // object is replaced, and fitView skips nodes without it.
      measured: { width: box.width, height: box.height },
      handles: handles.map((h) => ({
        id: h.id,
        type: 'source' as const,
        position: POSITION[h.side],
        x: h.x,
        y: h.y,
        width: h.width,
        height: h.height,
      })),
    };
    if (node.kind === 'tensor') {
      const tensor = tensors.get(node.tensorId!)!;
      return {
        ...common,
        type: 'tensor',
        data: {
          tensor,
          inset: layout.insets[node.id] ?? NO_INSET,
          subtitle: tensorSubtitle(net, tensor),
          handles,
          highlighted: changed.has(tensor.id),
        },
      };
    }
    if (node.kind === 'hub') {
      const index = node.index!;
      const ends =
        net.tensors.reduce((n, t) => n + t.legs.filter((l) => l === index).length, 0) +
        (net.output.includes(index) ? 1 : 0);
      return {
        ...common,
        type: 'hub',
        data: {
          index,
          size: net.sizes[index],
          open: net.output.includes(index),
          ends,
          handles,
          highlighted: changedLegs.has(index),
        },
      };
    }
    return {
      ...common,
      type: 'boundary',
      deletable: false,
      data: { handles, shape: net.resultShape },
    };
  });
}

export function flowEdges(
  diagram: Diagram,
  highlight: Highlight,
  selectedIndex: string | undefined,
): Edge[] {
  const changedLegs = new Set(highlight.legs);
  return diagram.edges.map((e) => {
    const classes = ['index-edge'];
    if (e.open) classes.push('open');
    if (changedLegs.has(e.index)) classes.push('changed');
    return {
      id: e.id,
      source: e.source.node,
      sourceHandle: e.source.handle,
      target: e.target.node,
      targetHandle: e.target.handle,
      type: e.toHub ? 'straight' : 'default',
      label: e.toHub ? undefined : `${e.index} · ${e.size}`,
      labelBgPadding: [3, 1] as [number, number],
      labelBgBorderRadius: 3,
      className: classes.join(' '),
      selected: selectedIndex === e.index,
      markerEnd:
        e.open && e.target.node === 'output'
          ? { type: MarkerType.ArrowClosed, width: 14, height: 14 }
          : undefined,
      data: { index: e.index },
    };
  });
}
