import type { Network } from '../../core/network.ts';
import { edgeEnds } from '../diagram/flowElements.ts';
import { buildDiagram, OUTPUT_NODE, type DiagramNode } from '../diagram/graph.ts';
import type { Point } from '../diagram/diagramLayout.ts';
import { placeGeometry, roundedPath, type Geometry } from '../diagram/geometry.ts';
import { quickGeometry } from '../diagram/quickGeometry.ts';
import { indexLabel, LABEL_PAD, monoWidth, TEXT } from '../diagram/style.ts';

/**
 * The diagram as a standalone SVG file, drawn from the same geometry the canvas uses (node
 * boxes, legs, edge routes and label boxes, moved where the user moved them), so the export looks like the
 * screen without depending on the DOM or React Flow's styles. Every piece of text is
 * XML-escaped: labels and index names may come from a shared link.
 */

const COLORS = {
  data: { fill: '#e3ecfb', stroke: '#2f5fb3' },
  index_pattern: { fill: '#fdf1d8', stroke: '#b7791f' },
  delta: { fill: '#e2f5ea', stroke: '#2f855a' },
  scalar: { fill: '#f1f2f4', stroke: '#6b7280' },
} as const;

const SANS = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const MONO = 'ui-monospace, Menlo, Consolas, monospace';
const SERIF = 'Times New Roman, serif';
const MARGIN = 28;

export function xmlEscape(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

const num = (x: number) => String(Math.round(x * 10) / 10);

function text(
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number> = {},
): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${extra}>${xmlEscape(content)}</text>`;
}

export interface SvgOptions {
  /** The canvas's layout (ELK); without it a quick dagre placement with straight edges. */
  geometry?: Geometry;
  /** Positions the user gave nodes (by diagram node id, top-left corners). */
  positions?: Readonly<Record<string, Point>>;
  /** A title drawn above the diagram and put in <title>. */
  title?: string;
}

export interface SvgResult {
  svg: string;
  width: number;
  height: number;
}

export function diagramSvg(net: Network, options: SvgOptions = {}): SvgResult {
  const diagram = buildDiagram(net);
  const geometry = placeGeometry(
    options.geometry ?? quickGeometry(net, diagram, false),
    edgeEnds(diagram),
    options.positions ?? {},
  );
  const kinds = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));
  const handleAt = (node: string, handle: string): Point => {
    const box = geometry.boxes[node];
    const h = (geometry.handles[node] ?? []).find((x) => x.id === handle);
    if (!h || kinds.get(node)?.kind === 'hub')
      return { x: box.position.x + box.width / 2, y: box.position.y + box.height / 2 };
    return { x: box.position.x + h.x + h.width / 2, y: box.position.y + h.y + h.height / 2 };
  };

  // Bounds of everything drawn: boxes, routes and labels.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (x: number, y: number, w = 0, h = 0) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  };
  for (const box of Object.values(geometry.boxes))
    grow(box.position.x, box.position.y, box.width, box.height);
  for (const route of Object.values(geometry.routes)) for (const p of route) grow(p.x, p.y);
  for (const l of Object.values(geometry.labels)) grow(l.x, l.y, l.width, l.height);
  if (!Number.isFinite(minX)) {
    minX = minY = 0;
    maxX = maxY = 100;
  }
  const titleRoom = options.title ? 26 : 0;
  const width = Math.ceil(maxX - minX + 2 * MARGIN);
  const height = Math.ceil(maxY - minY + 2 * MARGIN + titleRoom);
  const dx = MARGIN - minX;
  const dy = MARGIN + titleRoom - minY;

  const parts: string[] = [];
  const named = new Set<string>();
  // Edges first, so nodes cover their ends.
  for (const e of diagram.edges) {
    const route = geometry.routes[e.id];
    const a = handleAt(e.source.node, e.source.handle);
    const b = handleAt(e.target.node, e.target.handle);
    const d = route && route.length >= 2 ? roundedPath(route) : roundedPath([a, b]);
    parts.push(
      `<path d="${d}" fill="none" stroke="${e.open ? '#1d2330' : '#4b5563'}" stroke-width="1.6"/>`,
    );
    let box = route ? geometry.labels[e.id] : undefined;
    if (!box && !route && !e.open && !named.has(e.index)) {
      const t = indexLabel(e.index, e.size);
      const w = monoWidth(t, TEXT.index) + 2 * LABEL_PAD;
      const h = Math.ceil(TEXT.index * 1.3);
      box = {
        text: t,
        x: (a.x + b.x) / 2 - w / 2,
        y: (a.y + b.y) / 2 - h / 2,
        width: w,
        height: h,
      };
    }
    if (box) {
      named.add(e.index);
      parts.push(
        `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
        text(box.x + box.width / 2, box.y + box.height / 2, box.text, {
          'font-family': MONO,
          'font-size': TEXT.index,
          'text-anchor': 'middle',
          'dominant-baseline': 'central',
          fill: '#1f2937',
        }),
      );
    }
  }

  for (const node of diagram.nodes) {
    const box = geometry.boxes[node.id];
    const { x, y } = box.position;
    const handles = geometry.handles[node.id] ?? [];
    if (node.kind === 'hub') {
      const r = box.width / 2;
      const open = net.output.includes(node.index!);
      parts.push(
        `<circle cx="${num(x + r)}" cy="${num(y + r)}" r="${num(r)}" fill="${open ? '#1d2330' : '#475569'}"/>`,
      );
      continue;
    }
    if (node.id === OUTPUT_NODE) {
      // Free legs end in their names at the border, in the order of the result's axes.
      net.output.forEach((leg, pos) => {
        const h = handles[pos];
        if (!h) return;
        parts.push(
          text(x + 8, y + h.y + h.height / 2, indexLabel(leg, net.sizes[leg] ?? 0), {
            'font-family': MONO,
            'font-size': TEXT.index,
            'dominant-baseline': 'central',
            fill: '#1d2330',
          }),
        );
      });
      continue;
    }
    const tensor = net.tensors.find((t) => `t:${t.id}` === node.id);
    if (!tensor) continue;
    const color = COLORS[tensor.kind];
    const cx = x + box.width / 2;
    const cy = y + box.height / 2;
    if (tensor.kind === 'delta') {
      parts.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="6" fill="${color.stroke}"/>`);
      continue;
    }
    const shape =
      tensor.kind === 'scalar'
        ? `<ellipse cx="${num(cx)}" cy="${num(cy)}" rx="${num(box.width / 2)}" ry="${num(box.height / 2)}" fill="${color.fill}" stroke="${color.stroke}" stroke-width="1.5"/>`
        : `<rect x="${num(x)}" y="${num(y)}" width="${num(box.width)}" height="${num(box.height)}" rx="${tensor.kind === 'index_pattern' ? 14 : 6}" fill="${color.fill}" stroke="${color.stroke}" stroke-width="${tensor.kind === 'index_pattern' ? 2 : 1.5}"/>`;
    parts.push(
      shape,
      text(cx, cy, tensor.label, {
        'font-family': tensor.kind === 'scalar' ? MONO : SERIF,
        'font-size': tensor.kind === 'scalar' ? TEXT.scalar : TEXT.name,
        'font-weight': tensor.kind === 'scalar' ? 500 : 600,
        'text-anchor': 'middle',
        'dominant-baseline': 'central',
        fill: '#1d2330',
      }),
      ...handles.flatMap((h) =>
        h.labelBox
          ? [
              text(
                x + h.labelBox.x + h.labelBox.width / 2,
                y + h.labelBox.y + h.labelBox.height / 2,
                h.labelBox.text,
                {
                  'font-family': MONO,
                  'font-size': TEXT.role,
                  'font-style': 'italic',
                  'text-anchor': 'middle',
                  'dominant-baseline': 'central',
                  fill: '#7a4a0c',
                },
              ),
            ]
          : [],
      ),
    );
  }

  const title = options.title ?? 'tensor network';
  const heading = options.title
    ? text(MARGIN, MARGIN + 4, options.title, {
        'font-family': SANS,
        'font-size': 14,
        'font-weight': 600,
        fill: '#1d2330',
      })
    : '';
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    heading,
    `<g transform="translate(${num(dx)},${num(dy)})">`,
    ...parts,
    '</g>',
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
}
