import type { Network, Tensor } from '../../core/network.ts';

/**
 * The diagram of a network, independent of the drawing library: tensors are nodes with
 * one handle per leg, an index joins the legs that carry it, an index on more than two
 * ends (tensors or the output) meets at a hub, and open legs run to the output node.
 */
export type NodeKind = 'tensor' | 'hub' | 'output';

export interface LegEnd {
  node: string;
  /** `leg-<axis>` on a tensor, `out-<position>` on the output, `hub` on a hub. */
  handle: string;
}

export interface DiagramNode {
  id: string;
  kind: NodeKind;
  /** Tensor nodes: the tensor's id. */
  tensorId?: string;
  /** Hub nodes: the index they join. */
  index?: string;
}

export interface DiagramEdge {
  id: string;
  index: string;
  size: number;
  source: LegEnd;
  target: LegEnd;
  /** The index is an open leg (part of the output). */
  open: boolean;
  /** The edge runs to a hub, which carries the label. */
  toHub: boolean;
}

export interface Diagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export const OUTPUT_NODE = 'output';
export const tensorNodeId = (tensorId: string): string => `t:${tensorId}`;
export const hubNodeId = (index: string): string => `h:${index}`;
export const legHandle = (axis: number): string => `leg-${axis}`;
export const outHandle = (pos: number): string => `out-${pos}`;
export const HUB_HANDLE = 'hub';

/** Parses a handle id back to the axis or output position it stands for. */
export function handlePosition(handle: string | null | undefined): number | undefined {
  const m = /^(?:leg|out)-(\d+)$/.exec(handle ?? '');
  return m ? Number(m[1]) : undefined;
}

export function buildDiagram(net: Network): Diagram {
  const nodes: DiagramNode[] = net.tensors.map((t: Tensor) => ({
    id: tensorNodeId(t.id),
    kind: 'tensor',
    tensorId: t.id,
  }));
  const ends = new Map<string, LegEnd[]>();
  const endsOf = (index: string): LegEnd[] => {
    let list = ends.get(index);
    if (!list) ends.set(index, (list = []));
    return list;
  };
  for (const t of net.tensors) {
    t.legs.forEach((leg, axis) =>
      endsOf(leg).push({ node: tensorNodeId(t.id), handle: legHandle(axis) }),
    );
  }
  net.output.forEach((leg, pos) => endsOf(leg).push({ node: OUTPUT_NODE, handle: outHandle(pos) }));
  if (net.output.length > 0 || net.tensors.length === 0)
    nodes.push({ id: OUTPUT_NODE, kind: 'output' });

  const edges: DiagramEdge[] = [];
  for (const [index, list] of ends) {
    const size = net.sizes[index] ?? 0;
    const open = net.output.includes(index);
    // Two ends draw as one edge; any other count (a hyperedge, or a leg summed on its
    // own tensor) meets at a hub so every leg stays visible and connectable.
    if (list.length === 2) {
      edges.push({
        id: `e:${index}`,
        index,
        size,
        source: list[0],
        target: list[1],
        open,
        toHub: false,
      });
      continue;
    }
    const hub = hubNodeId(index);
    nodes.push({ id: hub, kind: 'hub', index });
    list.forEach((end, k) => {
      const toOutput = end.node === OUTPUT_NODE;
      const hubEnd = { node: hub, handle: HUB_HANDLE };
      edges.push({
        id: `e:${index}:${k}`,
        index,
        size,
        source: toOutput ? hubEnd : end,
        target: toOutput ? end : hubEnd,
        open,
        toHub: true,
      });
    });
  }
  return { nodes, edges };
}
