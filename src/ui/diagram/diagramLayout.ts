import dagre from '@dagrejs/dagre';
import type { Network, Tensor } from '../../core/network.ts';
import { OUTPUT_NODE, type Diagram } from './graph.ts';

/**
 * Places the diagram with dagre (left to right, tensors in network order), then puts each
 * leg on the side of its tensor that faces the other end, so edges do not cross the node.
 */
export type Side = 'left' | 'right' | 'top' | 'bottom';

export interface Point {
  x: number;
  y: number;
}

export interface NodeBox {
  /** Top-left corner, as React Flow positions nodes. */
  position: Point;
  width: number;
  height: number;
}

export interface Layout {
  boxes: Record<string, NodeBox>;
  /** Room the leg names take inside each tensor node, per side (px), so the name stays clear. */
  insets: Record<string, Record<Side, number>>;
  /** Side of each handle, by node id then handle id. */
  sides: Record<string, Record<string, Side>>;
}

const CHAR = 7;
const SMALL_CHAR = 6.2;
const LEG_ROW = 17;
export const HUB_SIZE = 22;

/** Under a tensor's name: its hyper-parameters (two lines for Π), value or shape. */
export function tensorSubtitle(net: Network, t: Tensor): string {
  switch (t.kind) {
    case 'index_pattern': {
      const p = t.pattern;
      const pad = p.padLeft === p.padRight ? `${p.padLeft}` : `${p.padLeft},${p.padRight}`;
      return `I=${p.inputSize} K=${p.kernelSize}\nS=${p.stride} P=${pad} D=${p.dilation}`;
    }
    case 'scalar':
      return formatScalar(t.value);
    case 'delta':
      return t.legs.length > 0 ? `size ${net.sizes[t.legs[0]]}` : '';
    case 'data':
      return t.legs.map((l) => net.sizes[l]).join('×');
  }
}

export function formatScalar(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const inv = 1 / value;
  if (Number.isInteger(Math.round(inv * 1e9) / 1e9) && Math.abs(inv) < 1e9)
    return `1/${Math.round(inv)}`;
  return value.toPrecision(4);
}

interface Size {
  width: number;
  height: number;
  /** Width of the name and subtitle in the middle of a tensor node. */
  center: number;
}

function tensorSize(net: Network, t: Tensor, perSide: number): Size {
  const longestLeg = Math.max(0, ...t.legs.map((l) => l.length));
  const lines = tensorSubtitle(net, t).split('\n');
  const center = Math.max(t.label.length * 2 * CHAR, ...lines.map((l) => l.length * SMALL_CHAR));
  return {
    width: Math.max(96, center + 2 * longestLeg * SMALL_CHAR + 40),
    height: Math.max(36 + lines.length * 12, perSide * LEG_ROW + 22),
    center,
  };
}

/** Node sizes before sides are known (tensors assume their legs split evenly). */
function nodeSizes(net: Network, diagram: Diagram): Map<string, Size> {
  const tensors = new Map(net.tensors.map((t) => [`t:${t.id}`, t]));
  const sizes = new Map<string, Size>();
  for (const node of diagram.nodes) {
    if (node.kind === 'tensor') {
      const t = tensors.get(node.id)!;
      sizes.set(node.id, tensorSize(net, t, Math.ceil(t.legs.length / 2)));
    } else if (node.kind === 'hub') {
      sizes.set(node.id, { width: HUB_SIZE, height: HUB_SIZE, center: 0 });
    } else {
      const longest = Math.max(0, ...net.output.map((l) => l.length));
      sizes.set(node.id, {
        width: Math.max(80, longest * SMALL_CHAR + 40),
        height: Math.max(48, (net.output.length + 1) * LEG_ROW + 22),
        center: 0,
      });
    }
  }
  return sizes;
}

export interface AutoLayout {
  sizes: Map<string, Size>;
  /** Node centres dagre chose. */
  centers: Map<string, Point>;
}

/**
 * dagre's placement of the diagram; depends on the network only, so it can be cached.
 * The output node stays out of dagre: every open leg would be an edge spanning all ranks
 * after it, and the dummy nodes dagre adds for long edges made a 60-tensor chain take a
 * second to lay out. It goes to the right of everything instead, level with its legs.
 */
export function autoLayout(net: Network, diagram: Diagram): AutoLayout {
  const sizes = nodeSizes(net, diagram);
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 48, edgesep: 10, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of diagram.nodes) {
    if (node.id === OUTPUT_NODE) continue;
    const { width, height } = sizes.get(node.id)!;
    g.setNode(node.id, { width, height });
  }
  const order = new Map(diagram.nodes.map((n, k) => [n.id, k]));
  for (const e of diagram.edges) {
    if (
      e.source.node === OUTPUT_NODE ||
      e.target.node === OUTPUT_NODE ||
      e.source.node === e.target.node
    )
      continue;
    // Edges point from earlier to later tensors, so ranks follow the network's order.
    const [from, to] =
      order.get(e.source.node)! <= order.get(e.target.node)!
        ? [e.source.node, e.target.node]
        : [e.target.node, e.source.node];
    g.setEdge(from, to, { minlen: 1 }, e.id);
  }
  dagre.layout(g);
  const centers = new Map<string, Point>();
  let right = 0;
  for (const node of diagram.nodes) {
    if (node.id === OUTPUT_NODE) continue;
    const n = g.node(node.id);
    centers.set(node.id, { x: n.x, y: n.y });
    right = Math.max(right, n.x + n.width / 2);
  }
  const output = sizes.get(OUTPUT_NODE);
  if (output) {
    const ends = diagram.edges.flatMap((e) =>
      e.target.node === OUTPUT_NODE
        ? [e.source.node]
        : e.source.node === OUTPUT_NODE
          ? [e.target.node]
          : [],
    );
    const ys = ends.map((id) => centers.get(id)?.y).filter((y): y is number => y !== undefined);
    const y = ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
    centers.set(OUTPUT_NODE, { x: right + 64 + output.width / 2, y });
  }
  return { sizes, centers };
}

/** Final boxes (moved nodes where the user put them) and the side each leg leaves from. */
export function placeDiagram(
  diagram: Diagram,
  auto: AutoLayout,
  fixed: Readonly<Record<string, Point>> = {},
): Layout {
  const { sizes } = auto;
  const centers = new Map<string, Point>();
  for (const node of diagram.nodes) {
    const placed = fixed[node.id];
    const size = sizes.get(node.id)!;
    centers.set(
      node.id,
      placed
        ? { x: placed.x + size.width / 2, y: placed.y + size.height / 2 }
        : auto.centers.get(node.id)!,
    );
  }

  const sides: Record<string, Record<string, Side>> = {};
  const perSideCount = new Map<string, Record<Side, number>>();
  const longestLabel = new Map<string, Record<Side, number>>();
  const setSide = (node: string, handle: string, other: string, label: string) => {
    const a = centers.get(node)!;
    const b = centers.get(other)!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const width = sizes.get(node)!.width;
    const horizontal = Math.abs(dx) >= width / 2 || Math.abs(dx) >= Math.abs(dy);
    const side: Side =
      node === OUTPUT_NODE
        ? 'left'
        : horizontal
          ? dx < 0
            ? 'left'
            : 'right'
          : dy < 0
            ? 'top'
            : 'bottom';
    (sides[node] ??= {})[handle] = side;
    const counts = perSideCount.get(node) ?? { left: 0, right: 0, top: 0, bottom: 0 };
    counts[side]++;
    perSideCount.set(node, counts);
    const longest = longestLabel.get(node) ?? { left: 0, right: 0, top: 0, bottom: 0 };
    longest[side] = Math.max(longest[side], label.length);
    longestLabel.set(node, longest);
  };
  for (const e of diagram.edges) {
    setSide(e.source.node, e.source.handle, e.target.node, e.index);
    setSide(e.target.node, e.target.handle, e.source.node, e.index);
  }

  const boxes: Record<string, NodeBox> = {};
  const insets: Record<string, Record<Side, number>> = {};
  for (const node of diagram.nodes) {
    const size = { ...sizes.get(node.id)! };
    const counts = perSideCount.get(node.id);
    const longest = longestLabel.get(node.id);
    if (node.kind === 'tensor' && counts && longest) {
      // Leg names sit inside the node beside their handles, around the centred name.
      const labels = (n: number) => (n > 0 ? n * SMALL_CHAR + 14 : 0);
      insets[node.id] = {
        left: labels(longest.left),
        right: labels(longest.right),
        top: counts.top > 0 ? 14 : 0,
        bottom: counts.bottom > 0 ? 14 : 0,
      };
      size.width = Math.max(
        96,
        size.center + 16 + labels(longest.left) + labels(longest.right),
        Math.max(counts.top, counts.bottom) * 44 + 20,
      );
      const vertical = (counts.top > 0 ? 14 : 0) + (counts.bottom > 0 ? 14 : 0);
      size.height = Math.max(
        size.height,
        Math.max(counts.left, counts.right) * LEG_ROW + 22,
        44 + vertical,
      );
    }
    const c = centers.get(node.id)!;
    boxes[node.id] = {
      position: fixed[node.id] ?? { x: c.x - size.width / 2, y: c.y - size.height / 2 },
      width: size.width,
      height: size.height,
    };
  }
  return { boxes, sides, insets };
}

export function layoutDiagram(
  net: Network,
  diagram: Diagram,
  fixed: Readonly<Record<string, Point>> = {},
): Layout {
  return placeDiagram(diagram, autoLayout(net, diagram), fixed);
}
