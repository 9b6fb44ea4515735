// Legibility measures of the editor's diagram, taken from the DOM of the page (runs inside
// the browser through page.evaluate). Only what is drawn counts: React Flow nodes, the SVG
// paths of edges, and every visible piece of text inside the diagram's viewport.
/* global document, getComputedStyle, NodeFilter, DOMMatrixReadOnly */

/**
 * @param {string} canvasSelector the diagram's container
 * @returns {{nodes: number, tensors: number, nodeOverlaps: number, edgesThroughTensor: number,
 *   overlappingTexts: number, textsUnderEdges: number, crossings: number,
 *   smallestTextPx: number, canvasUse: {x: number, y: number, best: number}}}
 */
export function measureDiagram(canvasSelector) {
  const root = document.querySelector(canvasSelector);
  if (!root) throw new Error(`no diagram at ${canvasSelector}`);
  const pane = root.querySelector('.react-flow') ?? root;
  const frame = pane.getBoundingClientRect();
  const viewport = root.querySelector('.react-flow__viewport');
  const zoom = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;

  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  const meet = (a, b) => ({
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  });
  // Overlap that a reader sees: more than a hair in both directions.
  const overlaps = (a, b, slack = 1) => {
    const m = meet(a, b);
    return m.right - m.left > slack && m.bottom - m.top > slack;
  };
  const inside = (p, r, margin) =>
    p.x > r.left + margin &&
    p.x < r.right - margin &&
    p.y > r.top + margin &&
    p.y < r.bottom - margin;

  const nodeEls = [...root.querySelectorAll('.react-flow__node')];
  const nodes = nodeEls.map((el) => ({
    el,
    rect: el.getBoundingClientRect(),
    tensor: el.classList.contains('react-flow__node-tensor'),
  }));
  // The zoom buttons and the minimap float over the drawing: anything under them is hidden.
  const panels = [...root.querySelectorAll('.react-flow__panel')].map((el) =>
    el.getBoundingClientRect(),
  );
  let nodeOverlaps = 0;
  for (const n of nodes) for (const p of panels) if (overlaps(n.rect, p)) nodeOverlaps++;
  for (let a = 0; a < nodes.length; a++)
    for (let b = a + 1; b < nodes.length; b++)
      if (overlaps(nodes[a].rect, nodes[b].rect)) nodeOverlaps++;

  // Each edge as a polyline in screen coordinates, sampled every ~4 px of path length.
  const edges = [...root.querySelectorAll('.react-flow__edge-path')].map((path) => {
    const ctm = path.getScreenCTM();
    const length = path.getTotalLength();
    const steps = Math.max(2, Math.ceil((length * zoom) / 4));
    const points = [];
    for (let k = 0; k <= steps; k++) {
      const p = path.getPointAtLength((length * k) / steps);
      points.push({ x: ctm.a * p.x + ctm.c * p.y + ctm.e, y: ctm.b * p.x + ctm.d * p.y + ctm.f });
    }
    return points;
  });
  // An edge belongs to the nodes its two ends touch; passing through any other tensor is a defect.
  const grow = (r, d) => ({
    left: r.left - d,
    top: r.top - d,
    right: r.right + d,
    bottom: r.bottom + d,
  });
  let edgesThroughTensor = 0;
  for (const points of edges) {
    const ends = [points[0], points[points.length - 1]];
    const own = new Set(
      nodes.filter((n) => ends.some((p) => inside(p, grow(n.rect, 8), 0))).map((n) => n.el),
    );
    if (nodes.some((n) => n.tensor && !own.has(n.el) && points.some((p) => inside(p, n.rect, 2))))
      edgesThroughTensor++;
  }

  // Proper crossings between different edges, away from their ends (edges of one hyperedge meet
  // at its dot, which is not a crossing).
  const cross = (p, q, r, s) => {
    const d = (q.x - p.x) * (s.y - r.y) - (q.y - p.y) * (s.x - r.x);
    if (Math.abs(d) < 1e-9) return false;
    const t = ((r.x - p.x) * (s.y - r.y) - (r.y - p.y) * (s.x - r.x)) / d;
    const u = ((r.x - p.x) * (q.y - p.y) - (r.y - p.y) * (q.x - p.x)) / d;
    return t >= 0 && t < 1 && u >= 0 && u < 1;
  };
  const near = (p, points) =>
    Math.hypot(p.x - points[0].x, p.y - points[0].y) < 6 ||
    Math.hypot(p.x - points.at(-1).x, p.y - points.at(-1).y) < 6;
  let crossings = 0;
  for (let a = 0; a < edges.length; a++)
    for (let b = a + 1; b < edges.length; b++) {
      const A = edges[a];
      const B = edges[b];
      for (let i = 0; i + 1 < A.length; i++)
        for (let j = 0; j + 1 < B.length; j++)
          if (
            cross(A[i], A[i + 1], B[j], B[j + 1]) &&
            !near(A[i], A) &&
            !near(A[i], B) &&
            !near(B[j], B)
          )
            crossings++;
    }

  // Every visible text run in the viewport, with the size it is drawn at.
  const texts = [];
  const walker = document.createTreeWalker(viewport ?? root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    const el = t.parentElement;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0)
      continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const rect = range.getBoundingClientRect();
    if (area(rect) < 1 || !overlaps(rect, frame, 0)) continue;
    texts.push({
      el,
      text: t.textContent.trim(),
      rect,
      px: parseFloat(style.fontSize) * zoom,
      node: el.closest('.react-flow__node'),
      edge: el.closest('.react-flow__edge'),
    });
  }
  let overlappingTexts = 0;
  for (let a = 0; a < texts.length; a++) {
    for (let b = a + 1; b < texts.length; b++)
      if (overlaps(texts[a].rect, texts[b].rect)) overlappingTexts++;
    for (const p of panels) if (overlaps(texts[a].rect, p)) overlappingTexts++;
    // Text lying on a node other than its own (a hub's name under its dot, a label on a tensor).
    for (const n of nodes)
      if (n.el !== texts[a].node && overlaps(texts[a].rect, n.rect, 2)) overlappingTexts++;
  }
  // Text with another edge drawn across it (its own edge may run up to it).
  let textsUnderEdges = 0;
  for (const t of texts) {
    const r = grow(t.rect, -1);
    const ownEdge = t.edge?.querySelector('.react-flow__edge-path');
    const hit = [...root.querySelectorAll('.react-flow__edge-path')].some((path, k) => {
      if (path === ownEdge) return false;
      return edges[k].some((p) => inside(p, r, 0));
    });
    if (hit) textsUnderEdges++;
  }

  // Bounding box of everything drawn, as a fraction of the diagram's frame.
  let box = null;
  const add = (r) => {
    if (area(r) === 0 && r.width === 0 && r.height === 0) return;
    box = box
      ? {
          left: Math.min(box.left, r.left),
          top: Math.min(box.top, r.top),
          right: Math.max(box.right, r.right),
          bottom: Math.max(box.bottom, r.bottom),
        }
      : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  nodes.forEach((n) => add(n.rect));
  texts.forEach((t) => add(t.rect));
  edges.forEach((points) =>
    points.forEach((p) =>
      add({ left: p.x, top: p.y, right: p.x, bottom: p.y, width: 1, height: 1 }),
    ),
  );
  const used = box ? meet(box, frame) : { left: 0, right: 0, top: 0, bottom: 0 };
  const x = (used.right - used.left) / frame.width;
  const y = (used.bottom - used.top) / frame.height;

  return {
    nodes: nodes.length,
    tensors: nodes.filter((n) => n.tensor).length,
    nodeOverlaps,
    edgesThroughTensor,
    overlappingTexts,
    textsUnderEdges,
    crossings,
    smallestTextPx: texts.length ? Math.min(...texts.map((t) => t.px)) : 0,
    canvasUse: { x, y, best: Math.max(x, y) },
  };
}
