import type { ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { Network, Tensor } from '../../core/network.ts';
import { legHandle, tensorNodeId } from './graph.ts';

/** The ports of a mirrored layout: which tensors are copies of which, and the copies' ports on their originals' rows. */

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

/** The edge spacing of the layout (elk.spacing.edgeEdge). */
const PORT_GAP = 10;

const onSide = (node: ElkNode, right: boolean) =>
  (node.ports ?? []).filter((p) => (p.x ?? 0) > (node.width ?? 0) / 2 === right);

/** Ports on one side of a node at least an edge spacing apart (none drawn on another). */
function apart(node: ElkNode | undefined): boolean {
  if (!node) return true;
  return [true, false].every((right) => {
    const rows = onSide(node, right)
      .map((p) => p.y ?? 0)
      .sort((a, b) => a - b);
    return rows.every((y, k) => k === 0 || y - rows[k - 1] >= PORT_GAP);
  });
}

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
    } else {
      (nb.ports ?? []).forEach((port, axis) => {
        const row = rows.get(legHandle(axis));
        const originalOnLeft = (row?.x ?? wa) < wa / 2;
        const right = toBorderOnly(net, copy, copy.legs[axis]) || originalOnLeft;
        port.x = right ? wb : 0;
        port.y = (row?.y ?? 0) + shift;
      });
    }
  }
  return [...pairs.data, ...pairs.patterns].every(([, copy]) =>
    apart(nodes.get(tensorNodeId(copy.id))),
  );
}
