import type { Point } from './diagramLayout.ts';
import type { LabelBox } from './geometry.ts';

/**
 * What a derivation step does to the picture: which nodes stay (and move from their old to
 * their new place), which the step removes and which it adds. Nodes are matched by id (a
 * tensor's id survives the rewrites that keep it); a tensor whose id changed but whose name
 * is still unique on both sides is taken to be the same tensor.
 */
/**
 * Where an element stands in a step being animated: staying (and moving), added (fading
 * in) or removed (fading out).
 */
export type Phase = 'moving' | 'entering' | 'leaving';

export interface NodeSnapshot {
  id: string;
  position: Point;
  /** The tensor's name, for matching when its id changed. */
  name?: string;
}

export interface KeptNode {
  /** Id after the step. */
  id: string;
  /** Id before the step (the same unless matched by name). */
  was: string;
  from: Point;
  to: Point;
}

export interface NodeDiff {
  kept: KeptNode[];
  /** Ids before the step. */
  removed: string[];
  /** Ids after the step. */
  added: string[];
}

function uniqueByName(nodes: readonly NodeSnapshot[]): Map<string, NodeSnapshot> {
  const counts = new Map<string, number>();
  for (const n of nodes)
    if (n.name !== undefined) counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
  return new Map(
    nodes.filter((n) => n.name !== undefined && counts.get(n.name) === 1).map((n) => [n.name!, n]),
  );
}

export function diffNodes(
  before: readonly NodeSnapshot[],
  after: readonly NodeSnapshot[],
): NodeDiff {
  const old = new Map(before.map((n) => [n.id, n]));
  const kept: KeptNode[] = [];
  const unmatched: NodeSnapshot[] = [];
  const used = new Set<string>();
  for (const n of after) {
    const o = old.get(n.id);
    if (o) {
      kept.push({ id: n.id, was: o.id, from: o.position, to: n.position });
      used.add(o.id);
    } else unmatched.push(n);
  }
  const oldByName = uniqueByName(before.filter((n) => !used.has(n.id)));
  const newByName = uniqueByName(unmatched);
  const added: string[] = [];
  for (const n of unmatched) {
    const o = n.name !== undefined && newByName.has(n.name) ? oldByName.get(n.name) : undefined;
    if (o) {
      kept.push({ id: n.id, was: o.id, from: o.position, to: n.position });
      used.add(o.id);
    } else added.push(n.id);
  }
  const removed = before.filter((n) => !used.has(n.id)).map((n) => n.id);
  return { kept, removed, added };
}

export interface EdgeDiff {
  kept: string[];
  removed: string[];
  added: string[];
}

export function diffEdges(before: readonly string[], after: readonly string[]): EdgeDiff {
  const old = new Set(before);
  const now = new Set(after);
  return {
    kept: after.filter((id) => old.has(id)),
    removed: before.filter((id) => !now.has(id)),
    added: after.filter((id) => !old.has(id)),
  };
}

/** Slow in, slow out: the eye follows a move that starts and ends gently. */
export function ease(t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return c < 0.5 ? 4 * c * c * c : 1 - (-2 * c + 2) ** 3 / 2;
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function lerpPoint(a: Point, b: Point, t: number): Point {
  return { x: lerp(a.x, b.x, t), y: lerp(a.y, b.y, t) };
}

/**
 * A polyline with `count` points that draws the same line: bends are repeated (a repeated
 * point is a corner of length zero), so two routes with different numbers of bends can be
 * blended point by point.
 */
export function padRoute(route: readonly Point[], count: number): Point[] {
  if (route.length >= count) return [...route];
  const padded = [...route];
  const at = Math.max(0, route.length - 2);
  while (padded.length < count) padded.splice(at, 0, route[at]);
  return padded;
}

/** An edge's route part way from its old to its new one (both end on the moving legs). */
export function lerpRoute(a: readonly Point[], b: readonly Point[], t: number): Point[] {
  const n = Math.max(a.length, b.length);
  const pa = padRoute(a, n);
  const pb = padRoute(b, n);
  return pa.map((p, k) => lerpPoint(p, pb[k], t));
}

export function lerpLabel(a: LabelBox, b: LabelBox, t: number): LabelBox {
  return {
    text: b.text,
    x: lerp(a.x, b.x, t),
    y: lerp(a.y, b.y, t),
    width: lerp(a.width, b.width, t),
    height: lerp(a.height, b.height, t),
  };
}
