import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { Network, Tensor } from '../../core/network.ts';
import { legHandle, tensorNodeId } from './graph.ts';

/**
 * A derivation's copies drawn as a mirror image of what they copy, as in the paper's KFC:
 * each Π′ faces its Π on the same row with the shared o leg straight between them, and x′
 * faces x. ELK has no "same row" constraint, so the mirror is built from its own means: a
 * second layout where the copies get their originals' port rows (fixed port positions), and
 * the node placement is Brandes–Köpf's, two of its fixed alignments, or network simplex with
 * the legs between the pairs straight. Of these, the layout that lines the pairs up best is
 * kept, but only if it draws no more crossings than the plain layout and is not much larger;
 * otherwise the plain layout stays.
 */

export interface MirrorPairs {
  /** Each original data tensor and its copy (same source). */
  data: [Tensor, Tensor][];
  /** Each index pattern on an original and the one on the same axis of its copy. */
  patterns: [Tensor, Tensor][];
  /** Copies that keep their own port order, on their originals' rows. */
  ownOrder?: Set<Tensor>;
}

const holderOf = (net: Network, leg: string, not: Tensor) =>
  net.tensors.find((t) => t !== not && t.kind === 'index_pattern' && t.legs.includes(leg));

export function mirrorPairs(net: Network): MirrorPairs {
  const pairs: MirrorPairs = { data: [], patterns: [] };
  const first = new Map<string, Tensor>();
  const paired = new Set<Tensor>();
  for (const copy of net.tensors) {
    if (copy.kind !== 'data') continue;
    const original = first.get(copy.source);
    if (!original) {
      first.set(copy.source, copy);
      continue;
    }
    if (original.legs.length !== copy.legs.length) continue;
    pairs.data.push([original, copy]);
    original.legs.forEach((leg, axis) => {
      const p = holderOf(net, leg, original);
      const q = holderOf(net, copy.legs[axis], copy);
      if (!p || !q || p === q || paired.has(p) || paired.has(q)) return;
      paired.add(p);
      paired.add(q);
      pairs.patterns.push([p, q]);
    });
  }
  return pairs;
}

/** A leg that only runs from `t` to the border (the copy's c_in′, Π′'s k′). */
const toBorderOnly = (net: Network, t: Tensor, leg: string) =>
  net.output.includes(leg) && net.tensors.every((u) => u === t || !u.legs.includes(leg));

/** Ports on one side of a node at least an edge spacing apart (none drawn on another). */
function apart(node: ElkNode | undefined): boolean {
  const ports = node?.ports ?? [];
  return ports.every((p, k) =>
    ports.slice(k + 1).every((q) => p.x !== q.x || Math.abs((p.y ?? 0) - (q.y ?? 0)) >= PORT_GAP),
  );
}

/** The edge spacing of the layout (elk.spacing.edgeEdge). */
const PORT_GAP = 10;

const axisOf = (port: ElkPort) => port.id.slice(port.id.indexOf('|') + 1);

/**
 * Gives each copy its original's port rows, mirrored: the original keeps the ports ELK chose
 * for it, the copy has the port of each axis on the same row and the other side (legs that
 * only run to the border stay on the right), and both are as tall as the taller one. A copy
 * in `ownOrder` keeps its own sides and order instead, on the original's rows. False when
 * that puts two ports of one side closer than an edge spacing (the layout is not tried).
 */
export function mirrorPorts(
  graph: ElkNode,
  laidOut: ElkNode,
  net: Network,
  pairs: MirrorPairs,
): boolean {
  const before = new Map((laidOut.children ?? []).map((c) => [c.id, c]));
  const nodes = new Map((graph.children ?? []).map((c) => [c.id, c]));
  for (const [original, copy] of [...pairs.data, ...pairs.patterns]) {
    const a = before.get(tensorNodeId(original.id));
    const b = before.get(tensorNodeId(copy.id));
    const na = nodes.get(tensorNodeId(original.id));
    const nb = nodes.get(tensorNodeId(copy.id));
    if (!a || !b || !na || !nb) continue;
    const wa = a.width ?? 0;
    const wb = b.width ?? 0;
    const height = Math.max(a.height ?? 0, b.height ?? 0);
    const shift = (height - (a.height ?? 0)) / 2;
    const rows = new Map((a.ports ?? []).map((p) => [axisOf(p), p]));
    const fixed = { 'elk.portConstraints': 'FIXED_POS', 'elk.nodeSize.constraints': '' };
    Object.assign(na, { width: wa, height, layoutOptions: { ...na.layoutOptions, ...fixed } });
    Object.assign(nb, { width: wb, height, layoutOptions: { ...nb.layoutOptions, ...fixed } });
    for (const port of na.ports ?? []) {
      const row = rows.get(axisOf(port));
      port.x = row?.x ?? wa;
      port.y = (row?.y ?? 0) + shift;
    }
    if (pairs.ownOrder?.has(copy)) {
      // The copy keeps the sides and order ELK gave it; the leg it shares with the original
      // keeps the original's row, the others take the original's other rows in turn.
      const own = new Map((b.ports ?? []).map((p) => [axisOf(p), p]));
      const free = (a.ports ?? []).map((p) => p.y ?? 0);
      const placed = new Map<number, number>();
      copy.legs.forEach((leg, axis) => {
        const k = original.legs.indexOf(leg);
        const row = k >= 0 ? rows.get(legHandle(k))?.y : undefined;
        if (row === undefined) return;
        placed.set(axis, row);
        free.splice(free.indexOf(row), 1);
      });
      free.sort((x, y) => x - y);
      const rest = (nb.ports ?? [])
        .map((port, axis) => ({ port, axis }))
        .filter(({ axis }) => !placed.has(axis))
        .sort(
          (x, y) => (own.get(legHandle(x.axis))?.y ?? 0) - (own.get(legHandle(y.axis))?.y ?? 0),
        );
      rest.forEach(({ axis }, k) => placed.set(axis, free[k] ?? 0));
      (nb.ports ?? []).forEach((port, axis) => {
        const mine = own.get(legHandle(axis));
        port.x = (mine?.x ?? 0) > (b.width ?? 0) / 2 ? wb : 0;
        port.y = (placed.get(axis) ?? 0) + shift;
      });
      continue;
    }
    (nb.ports ?? []).forEach((port, axis) => {
      const row = rows.get(legHandle(axis));
      const originalOnLeft = (row?.x ?? wa) < wa / 2;
      const right = toBorderOnly(net, copy, copy.legs[axis]) || originalOnLeft;
      port.x = right ? wb : 0;
      port.y = (row?.y ?? 0) + shift;
    });
  }
  return [...pairs.data, ...pairs.patterns].every(([, copy]) =>
    apart(nodes.get(tensorNodeId(copy.id))),
  );
}

/**
 * How far the pairs are from mirroring: the summed vertical distances of their centres, of
 * the index patterns (Π facing Π′ matters most) and of the data tensors.
 */
export function mirrorOffsets(
  result: ElkNode,
  pairs: MirrorPairs,
): { patterns: number; data: number } {
  const boxes = new Map((result.children ?? []).map((c) => [c.id, c]));
  const centre = (t: Tensor) => {
    const box = boxes.get(tensorNodeId(t.id));
    return (box?.y ?? 0) + (box?.height ?? 0) / 2;
  };
  const sum = (list: [Tensor, Tensor][]) =>
    list.reduce((total, [a, b]) => total + Math.abs(centre(a) - centre(b)), 0);
  return { patterns: sum(pairs.patterns), data: sum(pairs.data) };
}

/** Whether offsets `a` are closer to a mirror than `b`, Π pairs first (half a pixel apart). */
function closer(a: { patterns: number; data: number }, b: { patterns: number; data: number }) {
  if (Math.abs(a.patterns - b.patterns) >= 0.5) return a.patterns < b.patterns;
  return a.data < b.data - 0.5;
}

/** Crossings between the drawn edges' routes, away from their ends. */
export function routeCrossings(result: ElkNode): number {
  type P = { x: number; y: number };
  const routes: P[][] = [];
  for (const e of (result.edges ?? []) as ElkExtendedEdge[]) {
    const s = e.sections?.[0];
    if (s) routes.push([s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
  }
  const cross = (p: P, q: P, r: P, s: P) => {
    const d = (q.x - p.x) * (s.y - r.y) - (q.y - p.y) * (s.x - r.x);
    if (Math.abs(d) < 1e-9) return false;
    const t = ((r.x - p.x) * (s.y - r.y) - (r.y - p.y) * (s.x - r.x)) / d;
    const u = ((r.x - p.x) * (q.y - p.y) - (r.y - p.y) * (q.x - p.x)) / d;
    return t > 0 && t < 1 && u > 0 && u < 1;
  };
  let count = 0;
  for (let a = 0; a < routes.length; a++)
    for (let b = a + 1; b < routes.length; b++)
      for (let i = 0; i + 1 < routes[a].length; i++)
        for (let j = 0; j + 1 < routes[b].length; j++)
          if (cross(routes[a][i], routes[a][i + 1], routes[b][j], routes[b][j + 1])) count++;
  return count;
}

// RIGHTUP and RIGHTDOWN never lined up the presets' pairs better than these.
const PLACEMENTS = [undefined, 'LEFTUP', 'LEFTDOWN', 'SIMPLEX'];

/** The most a mirrored layout may grow over the plain one, in each direction. */
const GROWTH = 1.1;

function place(graph: ElkNode, placement: string | undefined, pairs: MirrorPairs): void {
  if (placement === 'SIMPLEX') {
    // Network simplex honours edge priorities: keep the legs between the pairs straight.
    const paired = new Set(
      [...pairs.data, ...pairs.patterns].flatMap(([a, b]) => [
        tensorNodeId(a.id),
        tensorNodeId(b.id),
      ]),
    );
    const nodeOf = (ref: string) => ref.split('|')[0];
    graph.layoutOptions = {
      ...graph.layoutOptions,
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    };
    for (const e of graph.edges ?? [])
      if (paired.has(nodeOf(e.sources[0])) && paired.has(nodeOf(e.targets[0])))
        e.layoutOptions = { 'elk.layered.priority.straightness': '10' };
  } else if (placement) {
    graph.layoutOptions = {
      ...graph.layoutOptions,
      'elk.layered.nodePlacement.bk.fixedAlignment': placement,
    };
  }
}

/**
 * The layout with the pairs mirrored, or `plain` where mirroring would cost: the copies get
 * their originals' port rows (exactly mirrored; Π′ in its own port order; or the patterns
 * only), under ELK's node placement, two of its fixed alignments or network simplex; the one
 * with the pairs closest to mirrored is kept, as long as it draws no more crossings than
 * `plain` and is not much larger (smaller text at fit view).
 */
export async function mirroredLayout(
  elk: ELK,
  build: () => ElkNode,
  plain: ElkNode,
  net: Network,
  pairs: MirrorPairs,
): Promise<ElkNode> {
  let best = plain;
  let bestOffsets = mirrorOffsets(plain, pairs);
  const crossings = routeCrossings(plain);
  const width = (plain.width ?? 0) * GROWTH;
  const height = (plain.height ?? 0) * GROWTH;
  const ownOrder = new Set(pairs.patterns.map(([, copy]) => copy));
  for (const mirrored of [pairs, { ...pairs, ownOrder }, { data: [], patterns: pairs.patterns }]) {
    for (const placement of PLACEMENTS) {
      if (bestOffsets.patterns + bestOffsets.data < 0.5) return best;
      const graph = build();
      if (!mirrorPorts(graph, plain, net, mirrored)) continue;
      place(graph, placement, mirrored);
      const result = await elk.layout(graph);
      const offsets = mirrorOffsets(result, pairs);
      if (
        closer(offsets, bestOffsets) &&
        routeCrossings(result) <= crossings &&
        (result.width ?? 0) <= width &&
        (result.height ?? 0) <= height
      ) {
        best = result;
        bestOffsets = offsets;
      }
    }
  }
  return best;
}
