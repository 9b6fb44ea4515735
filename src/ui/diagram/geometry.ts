import type { HandleSpec } from './handles.ts';
import type { NodeBox, Point } from './diagramLayout.ts';

/**
 * Where everything of a diagram is drawn, in flow coordinates: node boxes, the legs (handles)
 * on each node, the route of each edge and the box of each edge label. A layout engine fills
 * it in; the canvas, the notebook cells and the exports draw from it.
 */
export interface LabelBox {
  text: string;
  /** Top-left corner and size of the label. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Geometry {
  boxes: Record<string, NodeBox>;
  /** Legs of each node, relative to its top-left corner. */
  handles: Record<string, HandleSpec[]>;
  /** Each edge as a polyline from its source leg to its target leg. */
  routes: Record<string, Point[]>;
  /** Name (and size) of an index, set beside its edge. */
  labels: Record<string, LabelBox>;
}

/**
 * The geometry with some nodes where the user put them. Routes and labels of edges that
 * touch a moved node no longer fit, so they are dropped and the edge is drawn directly
 * between its legs instead.
 */
export function placeGeometry(
  geometry: Geometry,
  edgeEnds: Readonly<Record<string, readonly [string, string]>>,
  fixed: Readonly<Record<string, Point>>,
): Geometry {
  const moved = Object.keys(fixed).filter((id) => geometry.boxes[id]);
  if (moved.length === 0) return geometry;
  const boxes = { ...geometry.boxes };
  for (const id of moved) boxes[id] = { ...boxes[id], position: fixed[id] };
  const stale = new Set(moved);
  const routes: Record<string, Point[]> = {};
  const labels: Record<string, LabelBox> = {};
  for (const [edge, route] of Object.entries(geometry.routes)) {
    const ends = edgeEnds[edge];
    if (ends && (stale.has(ends[0]) || stale.has(ends[1]))) continue;
    routes[edge] = route;
    if (geometry.labels[edge]) labels[edge] = geometry.labels[edge];
  }
  return { ...geometry, boxes, routes, labels };
}

const CORNER = 6;

/** A polyline with its corners rounded (never more than half of either segment). */
export function roundedPath(points: readonly Point[]): string {
  const f = (v: number) => Math.round(v * 10) / 10;
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  for (let k = 1; k < points.length - 1; k++) {
    const [a, b, c] = [points[k - 1], points[k], points[k + 1]];
    const r = Math.min(
      CORNER,
      Math.hypot(b.x - a.x, b.y - a.y) / 2,
      Math.hypot(c.x - b.x, c.y - b.y) / 2,
    );
    const lenIn = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const lenOut = Math.hypot(c.x - b.x, c.y - b.y) || 1;
    const p = { x: b.x - ((b.x - a.x) / lenIn) * r, y: b.y - ((b.y - a.y) / lenIn) * r };
    const q = { x: b.x + ((c.x - b.x) / lenOut) * r, y: b.y + ((c.y - b.y) / lenOut) * r };
    d += ` L${f(p.x)},${f(p.y)} Q${f(b.x)},${f(b.y)} ${f(q.x)},${f(q.y)}`;
  }
  const last = points[points.length - 1];
  return `${d} L${f(last.x)},${f(last.y)}`;
}
