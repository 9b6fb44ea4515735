import { Position, type Node } from '@xyflow/react';
import type { Network, Tensor } from '../../core/network.ts';
import type { Phase } from './diagramDiff.ts';
import type { Geometry } from './geometry.ts';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';
import { indexLabel, tensorDetails } from './style.ts';
import { buildDiagram, type Diagram } from './graph.ts';
import type { HandleSpec } from './handles.ts';
import type { Side } from './diagramLayout.ts';

/** The diagram as React Flow nodes and edges (sizes and handles given, never measured). */
export interface TensorNodeData extends Record<string, unknown> {
  tensor: Tensor;
  /** Hyper-parameters of Π, the value of a scalar, the shape of a data tensor (hover text). */
  details: string;
  handles: HandleSpec[];
  highlighted: boolean;
  phase?: Phase;
}

export interface HubNodeData extends Record<string, unknown> {
  index: string;
  size: number;
  open: boolean;
  ends: number;
  handles: HandleSpec[];
  highlighted: boolean;
  phase?: Phase;
}

export interface OutputNodeData extends Record<string, unknown> {
  handles: HandleSpec[];
  shape: number[];
  /** Name and size of each open leg, in the order of the result's axes. */
  legs: string[];
  phase?: Phase;
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

export interface Highlight {
  tensors: readonly string[];
  legs: readonly string[];
}

export { buildDiagram };

export function flowNodes(
  net: Network,
  diagram: Diagram,
  geometry: Geometry,
  highlight: Highlight,
): FlowNode[] {
  const tensors = new Map(net.tensors.map((t) => [t.id, t]));
  const changed = new Set(highlight.tensors);
  const changedLegs = new Set(highlight.legs);
  return diagram.nodes.map((node): FlowNode => {
    const box = geometry.boxes[node.id];
    const handles = geometry.handles[node.id] ?? [];
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
          details: tensorDetails(net, tensor),
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
      data: {
        handles,
        shape: net.resultShape,
        legs: net.output.map((leg) => indexLabel(leg, net.sizes[leg] ?? 0)),
      },
    };
  });
}

export function flowEdges(
  diagram: Diagram,
  geometry: Geometry,
  highlight: Highlight,
  selectedIndex: string | undefined,
): RoutedFlowEdge[] {
  const changedLegs = new Set(highlight.legs);
  const named = new Set<string>();
  return diagram.edges.map((e) => {
    const classes = ['index-edge'];
    if (e.open) classes.push('open');
    if (changedLegs.has(e.index)) classes.push('changed');
    // Without a route (an end moved by hand) a summed index is named at one edge's middle.
    const text = !e.open && !named.has(e.index) ? indexLabel(e.index, e.size) : undefined;
    if (text) named.add(e.index);
    return {
      id: e.id,
      source: e.source.node,
      sourceHandle: e.source.handle,
      target: e.target.node,
      targetHandle: e.target.handle,
      type: 'routed' as const,
      className: classes.join(' '),
      selected: selectedIndex === e.index,
      data: { index: e.index, route: geometry.routes[e.id], label: geometry.labels[e.id], text },
    };
  });
}

/** Each edge's two end nodes, to tell which routes a manual move invalidates. */
export function edgeEnds(diagram: Diagram): Record<string, readonly [string, string]> {
  return Object.fromEntries(
    diagram.edges.map((e) => [e.id, [e.source.node, e.target.node] as const]),
  );
}
