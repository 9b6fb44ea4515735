import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { Network, Tensor } from '../../core/network.ts';
import { tensorNodeId } from './graph.ts';
import { mirrorPorts, type MirrorPairs } from './mirrorPorts.ts';

export { mirrorPairs, type MirrorPairs } from './mirrorPorts.ts';

/**
 * A derivation's copies drawn as a mirror image of what they copy, as in the paper's KFC:
 * each Π′ faces its Π on the same row with the shared o leg straight between them, and x′
 * faces x with n straight between them. ELK has no "same row" constraint, so the mirror is
 * built from its own means: a second layout where the copies get their originals' port rows
 * (fixed port positions), and the node placement is network simplex with the legs between a
 * tensor and its copy straight, Brandes–Köpf's, or one of its fixed alignments. An exact
 * mirror is kept if it costs at most two crossings; otherwise the layout that lines the
 * pairs up best without costing any; otherwise the plain layout stays.
 */

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

// Network simplex first: with the legs between a tensor and its copy kept straight it made
// 21 of the 23 mirrors among the presets, their VJPs, JVPs and simplified forms; ELK's own
// placement and LEFTDOWN made one each; LEFTUP, RIGHTUP and RIGHTDOWN none.
const PLACEMENTS = ['SIMPLEX', undefined, 'LEFTDOWN'];

/** The most a layout may grow over the plain one, in each direction: a mirror, and not. */
const MIRROR_GROWTH = 1.3;
const GROWTH = 1.1;

/**
 * The crossings an exact mirror may add to the plain layout's: a mirror shows the derivation
 * (x′ is x again, on the far side of its Π′), worth a crossing or two (KFC's costs none, its
 * simplified form's one) but not the 4–8 of KFAC-reduce's, which stays plain.
 */
const MIRROR_CROSSINGS = 2;

function place(graph: ElkNode, placement: string | undefined, pairs: MirrorPairs): void {
  if (placement === 'SIMPLEX') {
    // Network simplex honours edge priorities: keep the legs between a tensor and its copy
    // straight (KFC's o, the n of x and x′), and only those.
    const pairOf = new Map<string, string>();
    for (const [a, b] of [...pairs.data, ...pairs.patterns]) {
      pairOf.set(tensorNodeId(a.id), tensorNodeId(b.id));
      pairOf.set(tensorNodeId(b.id), tensorNodeId(a.id));
    }
    const nodeOf = (ref: string) => ref.split('|')[0];
    graph.layoutOptions = {
      ...graph.layoutOptions,
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    };
    for (const e of graph.edges ?? [])
      if (pairOf.get(nodeOf(e.sources[0])) === nodeOf(e.targets[0]))
        e.layoutOptions = { 'elk.layered.priority.straightness': '10' };
  } else if (placement) {
    graph.layoutOptions = {
      ...graph.layoutOptions,
      'elk.layered.nodePlacement.bk.fixedAlignment': placement,
    };
  }
}

interface Candidate {
  result: ElkNode;
  offsets: { patterns: number; data: number };
  crossings: number;
  exact: boolean;
}

/** Whether `a` is a better drawing than `b`: a mirror, then fewer crossings or closer pairs. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.exact !== b.exact) return a.exact;
  if (a.exact) return a.crossings < b.crossings;
  return closer(a.offsets, b.offsets);
}

/**
 * The layout with the pairs mirrored, or `plain` where mirroring would cost too much: the
 * copies get their originals' port rows (exactly mirrored; Π′ in its own port order; or the
 * patterns only), under network simplex, ELK's node placement or one of its fixed alignments.
 * An exact mirror (every pair level) wins if it adds at most MIRROR_CROSSINGS crossings;
 * otherwise the one with the pairs closest to level, as long as it draws no more crossings
 * than `plain` and is not much larger (smaller text at fit view).
 */
export async function mirroredLayout(
  elk: ELK,
  build: () => ElkNode,
  plain: ElkNode,
  net: Network,
  pairs: MirrorPairs,
): Promise<ElkNode> {
  const judge = (result: ElkNode): Candidate => {
    const offsets = mirrorOffsets(result, pairs);
    const exact = offsets.patterns + offsets.data < 0.5;
    return { result, offsets, crossings: routeCrossings(result), exact };
  };
  let best = judge(plain);
  const plainCrossings = best.crossings;
  const ownOrder = new Set(pairs.patterns.map(([, copy]) => copy));
  const variants = [{ ...pairs, ownOrder }, pairs, { data: [], patterns: pairs.patterns }];
  for (const mirrored of variants) {
    for (const placement of PLACEMENTS) {
      if (best.exact && best.crossings <= plainCrossings) return best.result;
      const graph = build();
      // The ports do not depend on the placement: where they clash, they clash under all.
      if (!mirrorPorts(graph, plain, net, mirrored)) break;
      place(graph, placement, mirrored);
      const result = await elk.layout(graph);
      const candidate = judge(result);
      const growth = candidate.exact ? MIRROR_GROWTH : GROWTH;
      const fits =
        candidate.crossings <= plainCrossings + (candidate.exact ? MIRROR_CROSSINGS : 0) &&
        (result.width ?? 0) <= (plain.width ?? 0) * growth &&
        (result.height ?? 0) <= (plain.height ?? 0) * growth;
      if (fits && better(candidate, best)) best = candidate;
    }
  }
  return best.result;
}
