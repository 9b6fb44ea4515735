import type { Network } from '../../core/network.ts';
import { edgeEnds } from '../diagram/flowElements.ts';
import { buildDiagram, OUTPUT_NODE } from '../diagram/graph.ts';
import type { Point } from '../diagram/diagramLayout.ts';
import { indexTex, labelTex } from '../../core/export/latex.ts';
import { placeGeometry, type Geometry } from '../diagram/geometry.ts';
import { quickGeometry } from '../diagram/quickGeometry.ts';

/**
 * The diagram as a standalone LaTeX document with one TikZ picture, drawn from the same
 * geometry as the canvas (node boxes, edge routes, label places), for slides and papers.
 * Every name goes through the formula's TeX mapping, which keeps letters and digits only,
 * so a label from a shared link cannot inject TeX.
 */
export interface TikzOptions {
  geometry?: Geometry;
  positions?: Readonly<Record<string, Point>>;
}

/** Flow coordinates are pixels; 0.6 pt each keeps a typical diagram within a page width. */
const UNIT = 0.6;

const f = (v: number) => String(Math.round(v * 10) / 10);
const at = (p: Point) => `(${f(p.x)},${f(p.y)})`;

function indexName(index: string, size: number): string {
  return `$${indexTex(index)}\\,{\\cdot}\\,${size}$`;
}

export function diagramTikz(net: Network, options: TikzOptions = {}): string {
  const diagram = buildDiagram(net);
  const geometry = placeGeometry(
    options.geometry ?? quickGeometry(net, diagram, false),
    edgeEnds(diagram),
    options.positions ?? {},
  );
  const centre = (id: string): Point => {
    const b = geometry.boxes[id];
    return { x: b.position.x + b.width / 2, y: b.position.y + b.height / 2 };
  };
  const legAt = (node: string, handle: string): Point => {
    const b = geometry.boxes[node];
    const h = geometry.handles[node]?.find((x) => x.id === handle);
    if (!h || node.startsWith('h:')) return centre(node);
    return { x: b.position.x + h.x + h.width / 2, y: b.position.y + h.y + h.height / 2 };
  };

  const lines: string[] = [];
  const named = new Set<string>();
  for (const e of diagram.edges) {
    const route = geometry.routes[e.id];
    const points = route ?? [
      legAt(e.source.node, e.source.handle),
      legAt(e.target.node, e.target.handle),
    ];
    lines.push(`  \\draw[leg] ${points.map(at).join(' -- ')};`);
    const box = route ? geometry.labels[e.id] : undefined;
    if (box) {
      named.add(e.index);
      lines.push(
        `  \\node[index] at ${at({ x: box.x + box.width / 2, y: box.y + box.height / 2 })} {${indexName(e.index, e.size)}};`,
      );
    } else if (!route && !e.open && !named.has(e.index)) {
      named.add(e.index);
      const [a, b] = points;
      lines.push(
        `  \\node[index] at ${at({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 })} {${indexName(e.index, e.size)}};`,
      );
    }
  }
  const tensors = new Map(net.tensors.map((t) => [`t:${t.id}`, t]));
  for (const node of diagram.nodes) {
    const b = geometry.boxes[node.id];
    const c = centre(node.id);
    if (node.kind === 'hub') {
      lines.push(`  \\fill[hyperedge] ${at(c)} circle (${f(b.width / 2)});`);
      continue;
    }
    if (node.id === OUTPUT_NODE) {
      net.output.forEach((leg, pos) => {
        const h = geometry.handles[node.id]?.[pos];
        if (!h) return;
        const p = { x: b.position.x + 8, y: b.position.y + h.y + h.height / 2 };
        lines.push(`  \\node[free leg] at ${at(p)} {${indexName(leg, net.sizes[leg] ?? 0)}};`);
      });
      continue;
    }
    const t = tensors.get(node.id);
    if (!t) continue;
    const corner = at(b.position);
    const far = at({ x: b.position.x + b.width, y: b.position.y + b.height });
    switch (t.kind) {
      case 'delta':
        lines.push(`  \\fill[delta] ${at(c)} circle (6);`);
        continue;
      case 'scalar':
        lines.push(
          `  \\draw[scalar] ${at(c)} ellipse [x radius=${f(b.width / 2)}, y radius=${f(b.height / 2)}];`,
        );
        break;
      case 'index_pattern':
        lines.push(`  \\draw[pattern] ${corner} rectangle ${far};`);
        break;
      case 'data':
        lines.push(`  \\draw[data] ${corner} rectangle ${far};`);
        break;
    }
    // A scalar's value (8/4, 1/64) is digits and a slash; any other name goes through labelTex.
    const fraction = /^(\d+)\/(\d+)$/.exec(t.label);
    const name =
      t.kind === 'scalar' && fraction
        ? `$\\tfrac{${fraction[1]}}{${fraction[2]}}$`
        : `$${labelTex(t.label)}$`;
    lines.push(`  \\node[name] at ${at(c)} {${name}};`);
    for (const h of geometry.handles[node.id] ?? []) {
      if (!h.labelBox || !/^[koi]$/.test(h.labelBox.text)) continue;
      const p = {
        x: b.position.x + h.labelBox.x + h.labelBox.width / 2,
        y: b.position.y + h.labelBox.y + h.labelBox.height / 2,
      };
      lines.push(`  \\node[role] at ${at(p)} {$${h.labelBox.text}$};`);
    }
  }

  return [
    '\\documentclass[tikz,border=4pt]{standalone}',
    '\\usepackage{amsmath}',
    '\\begin{document}',
    `\\begin{tikzpicture}[x=${UNIT}pt, y=-${UNIT}pt,`,
    '  leg/.style={draw=black!75, line width=0.8pt, rounded corners=3pt},',
    '  index/.style={fill=white, inner sep=1pt, font=\\footnotesize},',
    '  free leg/.style={anchor=west, inner sep=1pt, font=\\footnotesize},',
    '  data/.style={draw=blue!60!black, fill=blue!8, line width=0.8pt, rounded corners=2pt},',
    '  pattern/.style={draw=orange!70!black, fill=orange!12, line width=1pt, rounded corners=5pt},',
    '  scalar/.style={draw=black!60, fill=black!5, line width=0.8pt},',
    '  delta/.style={fill=green!45!black},',
    '  hyperedge/.style={fill=black!80},',
    '  name/.style={font=\\large},',
    '  role/.style={font=\\scriptsize, text=orange!50!black}]',
    ...lines,
    '\\end{tikzpicture}',
    '\\end{document}',
    '',
  ].join('\n');
}
