import type { ELK, ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import type { Network, Tensor } from '../../core/network.ts';
import { HUB_HANDLE, legHandle, outHandle, OUTPUT_NODE, type Diagram } from './graph.ts';
import { NEW_OPEN_LEG, type HandleSpec } from './handles.ts';
import type { Point, Side } from './diagramLayout.ts';
import type { Geometry, LabelBox } from './geometry.ts';
import { mirroredLayout, mirrorPairs } from './mirror.ts';
import { BORDER_ROW, DELTA_DOT, HUB_DOT, indexLabel, LABEL_PAD, monoWidth, TEXT } from './style.ts';

/**
 * The diagram as an ELK layered graph, left to right: the input on the left, Π between the
 * tensors it joins, the other factors after it, copies of a tensor (x′ of KFC) mirrored on
 * the far side of their own Π′, and the open legs ending at the border on the right in the
 * order of the result's axes. Edges are routed orthogonally around the tensors and every
 * label gets room of its own, so nothing is drawn on top of anything else.
 */

const HANDLE = 8;

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '26',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.spacing.edgeLabel': '3',
  'elk.spacing.labelLabel': '3',
  'elk.spacing.portPort': '16',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '30',
  'elk.padding': '[top=10,left=10,bottom=10,right=10]',
};

/**
 * How far right a tensor belongs: the first occurrence of each input left, its index
 * patterns next, other inputs (W, V, tangents) after them, then copies' patterns and the
 * copies themselves, so a derivation's x and x′ mirror each other around their Π and Π′.
 */
function depths(net: Network, diagram: Diagram): Map<string, number> {
  const seenSources = new Set<string>();
  const copies = new Set<string>();
  const firstSource = net.tensors.find((t) => t.kind === 'data')?.id;
  for (const t of net.tensors) {
    if (t.kind !== 'data') continue;
    if (seenSources.has(t.source)) copies.add(t.id);
    seenSources.add(t.source);
  }
  const holders = new Map<string, Tensor[]>();
  for (const t of net.tensors)
    for (const leg of t.legs) holders.set(leg, [...(holders.get(leg) ?? []), t]);
  const depth = new Map<string, number>();
  for (const t of net.tensors) {
    let d: number | undefined;
    if (t.kind === 'data') d = copies.has(t.id) ? 4 : t.id === firstSource ? 0 : 2;
    else if (t.kind === 'index_pattern') {
      const partners = t.legs.flatMap((l) => holders.get(l) ?? []);
      const onCopy = partners.some((p) => copies.has(p.id));
      const onOriginal = partners.some((p) => p.kind === 'data' && !copies.has(p.id));
      d = onCopy && !onOriginal ? 3 : 1;
    }
    if (d !== undefined) depth.set(`t:${t.id}`, d);
  }
  // δs, scalars and hyperedge dots sit between the tensors they join.
  const neighbours = new Map<string, string[]>();
  for (const e of diagram.edges) {
    neighbours.set(e.source.node, [...(neighbours.get(e.source.node) ?? []), e.target.node]);
    neighbours.set(e.target.node, [...(neighbours.get(e.target.node) ?? []), e.source.node]);
  }
  const floating = diagram.nodes.filter((n) => n.id !== OUTPUT_NODE && !depth.has(n.id));
  for (let pass = 0; pass < 3; pass++) {
    for (const node of floating) {
      const known = (neighbours.get(node.id) ?? [])
        .map((n) => depth.get(n))
        .filter((d): d is number => d !== undefined);
      if (known.length > 0)
        depth.set(node.id, known.reduce((a, b) => a + b, 0) / known.length + 0.25);
    }
  }
  depth.set(OUTPUT_NODE, Infinity);
  return depth;
}

function label(text: string, px: number): { text: string; width: number; height: number } {
  return { text, width: monoWidth(text, px) + 2 * LABEL_PAD, height: Math.ceil(px * 1.3) };
}

function tensorElkNode(net: Network, t: Tensor, id: string): ElkNode {
  const ports: ElkPort[] = t.legs.map((_, axis) => ({
    id: `${id}|${legHandle(axis)}`,
    width: 0,
    height: 0,
    ...(t.kind === 'index_pattern' && t.roles[axis]
      ? { labels: [label(t.roles[axis], TEXT.role)] }
      : {}),
  }));
  const nameWidth = monoWidth(t.label, TEXT.name);
  const common = { id, ports };
  switch (t.kind) {
    case 'data':
      return {
        ...common,
        layoutOptions: {
          'elk.portConstraints': 'FREE',
          'elk.nodeSize.constraints': 'PORTS MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${Math.max(44, nameWidth + 22)}, 44)`,
        },
      };
    case 'index_pattern':
      return {
        ...common,
        layoutOptions: {
          'elk.portConstraints': 'FREE',
          'elk.portLabels.placement': 'INSIDE',
          'elk.nodeSize.constraints': 'PORTS PORT_LABELS MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${Math.max(52, nameWidth + 2 * 16)}, 52)`,
        },
      };
    case 'delta':
      return {
        ...common,
        width: DELTA_DOT,
        height: DELTA_DOT,
        layoutOptions: { 'elk.portConstraints': 'FREE' },
      };
    case 'scalar': {
      const text = label(t.label, TEXT.scalar);
      return { ...common, width: Math.max(30, text.width + 12), height: 30 };
    }
  }
}

/** The free legs' end: a column of ports on the left of the names, in result order. */
function borderElkNode(net: Network, withNewLeg: boolean): ElkNode {
  const names = net.output.map((leg) => indexLabel(leg, net.sizes[leg] ?? 0));
  const rows = names.length + (withNewLeg ? 1 : 0);
  const width = Math.max(24, ...names.map((n) => monoWidth(n, TEXT.index) + 14));
  const ports: ElkPort[] = net.output.map((_, pos) => ({
    id: `${OUTPUT_NODE}|${outHandle(pos)}`,
    x: 0,
    y: BORDER_ROW / 2 + pos * BORDER_ROW,
    width: 0,
    height: 0,
  }));
  return {
    id: OUTPUT_NODE,
    width,
    height: Math.max(BORDER_ROW, rows * BORDER_ROW),
    ports,
    layoutOptions: {
      'elk.portConstraints': 'FIXED_POS',
      'elk.layered.layering.layerConstraint': 'LAST_SEPARATE',
    },
  };
}

export interface ElkInput {
  graph: ElkNode;
  /** Text of each labelled edge's label. */
  labelTexts: Record<string, string>;
}

/** Builds the ELK graph of a diagram (pure; the layout itself runs wherever ELK runs). */
export function elkGraph(net: Network, diagram: Diagram, withNewLeg = true): ElkInput {
  const tensors = new Map(net.tensors.map((t) => [`t:${t.id}`, t]));
  const depth = depths(net, diagram);
  const order = new Map(diagram.nodes.map((n, k) => [n.id, k]));
  const children: ElkNode[] = diagram.nodes.map((node) => {
    if (node.kind === 'tensor') return tensorElkNode(net, tensors.get(node.id)!, node.id);
    if (node.kind === 'hub') return { id: node.id, width: HUB_DOT, height: HUB_DOT };
    return borderElkNode(net, withNewLeg);
  });
  const labelTexts: Record<string, string> = {};
  const labelled = new Set<string>();
  const edges: ElkExtendedEdge[] = diagram.edges.map((e) => {
    const ref = (end: { node: string; handle: string }) =>
      end.handle === HUB_HANDLE ? end.node : `${end.node}|${end.handle}`;
    const da = depth.get(e.source.node) ?? 0;
    const db = depth.get(e.target.node) ?? 0;
    const forward =
      da < db || (da === db && order.get(e.source.node)! <= order.get(e.target.node)!);
    const [from, to] = forward ? [e.source, e.target] : [e.target, e.source];
    const edge: ElkExtendedEdge = { id: e.id, sources: [ref(from)], targets: [ref(to)] };
    // Open legs are named at the border; a summed index is named once, beside one of its edges.
    if (!e.open && !labelled.has(e.index)) {
      labelled.add(e.index);
      const text = indexLabel(e.index, e.size);
      labelTexts[e.id] = text;
      edge.labels = [{ id: `${e.id}|label`, ...label(text, TEXT.index) }];
    }
    return edge;
  });
  return { graph: { id: 'root', layoutOptions: ROOT_OPTIONS, children, edges }, labelTexts };
}

function sideOf(p: Point, width: number, height: number): Side {
  const distances: [Side, number][] = [
    ['left', Math.abs(p.x)],
    ['right', Math.abs(p.x - width)],
    ['top', Math.abs(p.y)],
    ['bottom', Math.abs(p.y - height)],
  ];
  return distances.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
}

/** Reads ELK's answer back as the diagram's geometry. */
export function readGeometry(result: ElkNode, input: ElkInput, withNewLeg = true): Geometry {
  const geometry: Geometry = { boxes: {}, handles: {}, routes: {}, labels: {} };
  for (const node of result.children ?? []) {
    const width = node.width ?? 0;
    const height = node.height ?? 0;
    geometry.boxes[node.id] = { position: { x: node.x ?? 0, y: node.y ?? 0 }, width, height };
    const handles: HandleSpec[] = (node.ports ?? []).map((port) => {
      const handle = port.id.slice(port.id.indexOf('|') + 1);
      const p = { x: port.x ?? 0, y: port.y ?? 0 };
      const side = node.id === OUTPUT_NODE ? 'left' : sideOf(p, width, height);
      const portLabel = port.labels?.[0];
      return {
        id: handle,
        side,
        x: p.x - HANDLE / 2,
        y: p.y - HANDLE / 2,
        width: HANDLE,
        height: HANDLE,
        label: portLabel?.text,
        labelBox: portLabel
          ? {
              text: portLabel.text ?? '',
              x: p.x + (portLabel.x ?? 0),
              y: p.y + (portLabel.y ?? 0),
              width: portLabel.width ?? 0,
              height: portLabel.height ?? 0,
            }
          : undefined,
      };
    });
    if (node.id === OUTPUT_NODE && withNewLeg) {
      const y = BORDER_ROW / 2 + handles.length * BORDER_ROW;
      handles.push({
        id: NEW_OPEN_LEG,
        side: 'left',
        x: -HANDLE / 2,
        y: y - HANDLE / 2,
        width: HANDLE,
        height: HANDLE,
        label: '+',
      });
    }
    if (handles.length === 0 && node.id.startsWith('h:')) {
      const c = width / 2;
      handles.push({ id: HUB_HANDLE, side: 'left', x: c - 1, y: c - 1, width: 2, height: 2 });
    }
    geometry.handles[node.id] = handles;
  }
  for (const edge of (result.edges ?? []) as ElkExtendedEdge[]) {
    const section = edge.sections?.[0];
    if (section) {
      geometry.routes[edge.id] = [
        section.startPoint,
        ...(section.bendPoints ?? []),
        section.endPoint,
      ];
    }
    const l = edge.labels?.[0];
    if (l && input.labelTexts[edge.id] !== undefined) {
      const box: LabelBox = {
        text: input.labelTexts[edge.id],
        x: l.x ?? 0,
        y: l.y ?? 0,
        width: l.width ?? 0,
        height: l.height ?? 0,
      };
      geometry.labels[edge.id] = box;
    }
  }
  return geometry;
}

export async function elkGeometry(
  elk: ELK,
  net: Network,
  diagram: Diagram,
  withNewLeg = true,
): Promise<Geometry> {
  const input = elkGraph(net, diagram, withNewLeg);
  const first = await elk.layout(input.graph);
  const pairs = mirrorPairs(net);
  const result =
    pairs.data.length === 0
      ? first
      : await mirroredLayout(
          elk,
          () => elkGraph(net, diagram, withNewLeg).graph,
          first,
          net,
          pairs,
        );
  return readGeometry(result, input, withNewLeg);
}
