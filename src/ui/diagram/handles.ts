import type { Network } from '../../core/network.ts';
import { HUB_HANDLE, legHandle, outHandle, OUTPUT_NODE, type DiagramNode } from './graph.ts';
import type { Layout, Side } from './diagramLayout.ts';

/**
 * Where each handle sits on its node. Edge end points are computed from these numbers and
 * the handles are drawn at the same places, so React Flow never has to measure them.
 */
export const HANDLE_SIZE = 8;
export const NEW_OPEN_LEG = 'out-new';

export interface HandleSpec {
  id: string;
  side: Side;
  /** Top-left corner of the handle relative to the node, and its size. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Leg name shown beside the handle. */
  label?: string;
  /** Where the layout set that name (relative to the node), when it placed it. */
  labelBox?: { text: string; x: number; y: number; width: number; height: number };
}

function place(
  ids: { id: string; label?: string; side: Side }[],
  width: number,
  height: number,
): HandleSpec[] {
  const bySide = new Map<Side, { id: string; label?: string; side: Side }[]>();
  for (const h of ids) bySide.set(h.side, [...(bySide.get(h.side) ?? []), h]);
  const out: HandleSpec[] = [];
  for (const [side, list] of bySide) {
    list.forEach((h, k) => {
      const along = (k + 1) / (list.length + 1);
      const half = HANDLE_SIZE / 2;
      const cx = side === 'left' ? 0 : side === 'right' ? width : along * width;
      const cy = side === 'top' ? 0 : side === 'bottom' ? height : along * height;
      out.push({
        id: h.id,
        side,
        label: h.label,
        x: cx - half,
        y: cy - half,
        width: HANDLE_SIZE,
        height: HANDLE_SIZE,
      });
    });
  }
  return out;
}

export function nodeHandles(net: Network, node: DiagramNode, layout: Layout): HandleSpec[] {
  const box = layout.boxes[node.id];
  const sides = layout.sides[node.id] ?? {};
  if (node.kind === 'hub') {
    // One handle at the centre: every edge of the hyperedge meets there.
    const c = box.width / 2 - 1;
    return [{ id: HUB_HANDLE, side: 'left', x: c, y: c, width: 2, height: 2 }];
  }
  if (node.id === OUTPUT_NODE) {
    const ids = net.output.map((leg, pos) => ({
      id: outHandle(pos),
      label: leg,
      side: 'left' as Side,
    }));
    ids.push({ id: NEW_OPEN_LEG, label: '+', side: 'left' });
    return place(ids, box.width, box.height);
  }
  const tensor = net.tensors.find((t) => `t:${t.id}` === node.id);
  if (!tensor) return [];
  const ids = tensor.legs.map((leg, axis) => ({
    id: legHandle(axis),
    label: leg,
    side: sides[legHandle(axis)] ?? 'right',
  }));
  return place(ids, box.width, box.height);
}
