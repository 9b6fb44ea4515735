import type { Network } from '../../core/network.ts';
import { buildDiagram, OUTPUT_NODE, type DiagramNode } from '../editor/model/graph.ts';
import { nodeHandles, NEW_OPEN_LEG, type HandleSpec } from '../editor/model/handles.ts';
import { layoutDiagram, tensorSubtitle, type Point, type Side } from '../editor/model/layout.ts';

/**
 * The diagram as a standalone SVG file, drawn from the same layout the canvas uses (node
 * boxes, handle places, dagre positions or the user's), so the export looks like the
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

const DIRECTION: Record<Side, Point> = {
  left: { x: -1, y: 0 },
  right: { x: 1, y: 0 },
  top: { x: 0, y: -1 },
  bottom: { x: 0, y: 1 },
};

interface End {
  point: Point;
  side: Side;
  hub: boolean;
}

export interface SvgOptions {
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
  const layout = layoutDiagram(net, diagram, options.positions ?? {});
  const handles = new Map<string, HandleSpec[]>(
    diagram.nodes.map((n) => [
      n.id,
      nodeHandles(net, n, layout).filter((h) => h.id !== NEW_OPEN_LEG),
    ]),
  );
  const kinds = new Map<string, DiagramNode>(diagram.nodes.map((n) => [n.id, n]));

  const endOf = (node: string, handle: string): End => {
    const box = layout.boxes[node];
    if (kinds.get(node)?.kind === 'hub') {
      return {
        point: { x: box.position.x + box.width / 2, y: box.position.y + box.height / 2 },
        side: 'left',
        hub: true,
      };
    }
    const h = handles.get(node)?.find((x) => x.id === handle);
    if (!h) {
      return {
        point: { x: box.position.x + box.width / 2, y: box.position.y + box.height / 2 },
        side: 'right',
        hub: false,
      };
    }
    return {
      point: {
        x: box.position.x + h.x + h.width / 2,
        y: box.position.y + h.y + h.height / 2,
      },
      side: h.side,
      hub: false,
    };
  };

  // Bounds of every box, with room for the labels drawn just outside (hubs, output title).
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const box of Object.values(layout.boxes)) {
    minX = Math.min(minX, box.position.x);
    minY = Math.min(minY, box.position.y - 16);
    maxX = Math.max(maxX, box.position.x + box.width);
    maxY = Math.max(maxY, box.position.y + box.height);
  }
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
  // Edges first, so nodes cover their ends.
  for (const e of diagram.edges) {
    const a = endOf(e.source.node, e.source.handle);
    const b = endOf(e.target.node, e.target.handle);
    const stroke = e.open ? '#1d2330' : '#4b5563';
    const dash = e.open ? ' stroke-dasharray="5 3"' : '';
    const marker = e.open && e.target.node === OUTPUT_NODE ? ' marker-end="url(#arrow)"' : '';
    let d: string;
    if (e.toHub) {
      d = `M${num(a.point.x)},${num(a.point.y)} L${num(b.point.x)},${num(b.point.y)}`;
    } else {
      const reach = Math.max(30, Math.hypot(b.point.x - a.point.x, b.point.y - a.point.y) / 3);
      const da = DIRECTION[a.side];
      const db = DIRECTION[b.side];
      d =
        `M${num(a.point.x)},${num(a.point.y)} ` +
        `C${num(a.point.x + da.x * reach)},${num(a.point.y + da.y * reach)} ` +
        `${num(b.point.x + db.x * reach)},${num(b.point.y + db.y * reach)} ` +
        `${num(b.point.x)},${num(b.point.y)}`;
    }
    parts.push(
      `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.6"${dash}${marker}/>`,
    );
    if (!e.toHub) {
      const label = `${e.index} · ${e.size}`;
      const mx = (a.point.x + b.point.x) / 2;
      const my = (a.point.y + b.point.y) / 2;
      const w = label.length * 6 + 8;
      parts.push(
        `<rect x="${num(mx - w / 2)}" y="${num(my - 8)}" width="${num(w)}" height="15" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
        text(mx, my + 3.5, label, {
          'font-family': MONO,
          'font-size': 10,
          'text-anchor': 'middle',
          fill: '#1d2330',
        }),
      );
    }
  }

  for (const node of diagram.nodes) {
    const box = layout.boxes[node.id];
    const { x, y } = box.position;
    const legLabels = (handles.get(node.id) ?? []).map((h) => {
      const cx = x + h.x + h.width / 2;
      const cy = y + h.y + h.height / 2;
      const dot = `<circle cx="${num(cx)}" cy="${num(cy)}" r="3" fill="#1d2330"/>`;
      if (!h.label) return dot;
      const at: Record<Side, [number, number, string]> = {
        left: [cx + 8, cy + 3.5, 'start'],
        right: [cx - 8, cy + 3.5, 'end'],
        top: [cx, cy + 14, 'middle'],
        bottom: [cx, cy - 7, 'middle'],
      };
      const [lx, ly, anchor] = at[h.side];
      return (
        dot +
        text(lx, ly, h.label, {
          'font-family': MONO,
          'font-size': 10,
          'text-anchor': anchor,
          fill: '#374151',
        })
      );
    });
    if (node.kind === 'hub') {
      const r = box.width / 2;
      const open = net.output.includes(node.index!);
      parts.push(
        `<circle cx="${num(x + r)}" cy="${num(y + r)}" r="${num(r)}" fill="${open ? '#1d2330' : '#64748b'}"/>`,
        text(x + r, y - 4, `${node.index} · ${net.sizes[node.index!]}`, {
          'font-family': MONO,
          'font-size': 10,
          'text-anchor': 'middle',
          fill: '#1d2330',
        }),
      );
      continue;
    }
    if (node.id === OUTPUT_NODE) {
      parts.push(
        `<rect x="${num(x)}" y="${num(y)}" width="${num(box.width)}" height="${num(box.height)}" rx="6" fill="#ffffff" stroke="#1d2330" stroke-width="1.5" stroke-dasharray="5 3"/>`,
        text(x, y - 5, 'OUTPUT', {
          'font-family': SANS,
          'font-size': 10,
          'letter-spacing': '0.06em',
          fill: '#5b6472',
        }),
        ...legLabels,
      );
      continue;
    }
    const tensor = net.tensors.find((t) => `t:${t.id}` === node.id);
    if (!tensor) continue;
    const color = COLORS[tensor.kind];
    const round = tensor.kind === 'delta' || tensor.kind === 'scalar' ? 20 : 8;
    const inset = layout.insets[node.id] ?? { left: 0, right: 0, top: 0, bottom: 0 };
    const cx = x + inset.left + (box.width - inset.left - inset.right) / 2;
    const sub = tensorSubtitle(net, tensor).split('\n').filter(Boolean);
    const cy = y + inset.top + (box.height - inset.top - inset.bottom) / 2;
    const top = cy - (17 + sub.length * 11) / 2 + 13;
    parts.push(
      `<rect x="${num(x)}" y="${num(y)}" width="${num(box.width)}" height="${num(box.height)}" rx="${round}" fill="${color.fill}" stroke="${color.stroke}" stroke-width="1.5"/>`,
      text(cx, top, tensor.label, {
        'font-family': SERIF,
        'font-size': 17,
        'font-weight': 600,
        'text-anchor': 'middle',
        fill: '#1d2330',
      }),
      ...sub.map((line, k) =>
        text(cx, top + 13 + k * 11, line, {
          'font-family': SANS,
          'font-size': 9.5,
          'text-anchor': 'middle',
          fill: '#4b5563',
        }),
      ),
      ...legLabels,
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
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1d2330"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    heading,
    `<g transform="translate(${num(dx)},${num(dy)})">`,
    ...parts,
    '</g>',
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
}
