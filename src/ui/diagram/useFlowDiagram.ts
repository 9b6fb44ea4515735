import { useMemo } from 'react';
import type { Network } from '../../core/network.ts';
import {
  edgeEnds,
  flowEdges,
  flowNodes,
  type FlowNode,
  type Highlight,
} from './flowElements.ts';
import { buildDiagram } from './graph.ts';
import type { Point } from './diagramLayout.ts';
import { placeGeometry } from './geometry.ts';
import { useGeometry } from './layoutService.ts';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';

const NO_POSITIONS: Readonly<Record<string, Point>> = {};

/**
 * React Flow nodes and edges of a network, laid out by ELK, with the user's manual moves
 * applied; the editor and notebook cells both draw from this. While a new layout is being
 * computed the previous diagram stays (pending is true).
 */
export function useFlowDiagram(
  network: Network,
  highlight: Highlight,
  options: {
    positions?: Readonly<Record<string, Point>>;
    selectedIndex?: string;
    editable: boolean;
  },
): {
  nodes: FlowNode[];
  edges: RoutedFlowEdge[];
  signature: string;
  pending: boolean;
  error?: string;
} {
  const diagram = useMemo(() => buildDiagram(network), [network]);
  const { shown, pending } = useGeometry(network, diagram, options.editable);
  const shownNet = shown.status === 'ready' ? shown.network : undefined;
  const shownDiagram = useMemo(
    () => (shownNet ? (shownNet === network ? diagram : buildDiagram(shownNet)) : undefined),
    [shownNet, network, diagram],
  );
  const positions = options.positions ?? NO_POSITIONS;
  const geometry = useMemo(
    () =>
      shown.status === 'ready' && shownDiagram
        ? placeGeometry(shown.geometry, edgeEnds(shownDiagram), positions)
        : undefined,
    [shown, shownDiagram, positions],
  );
  // Highlights and positions belong to the network asked for; an older diagram gets none.
  const current = shownNet === network;
  const nodes = useMemo(
    () =>
      geometry && shownNet && shownDiagram
        ? flowNodes(shownNet, shownDiagram, geometry, current ? highlight : NO_HIGHLIGHT)
        : [],
    [geometry, shownNet, shownDiagram, current, highlight],
  );
  const selectedIndex = options.selectedIndex;
  const edges = useMemo(
    () =>
      geometry && shownDiagram
        ? flowEdges(shownDiagram, geometry, current ? highlight : NO_HIGHLIGHT, selectedIndex)
        : [],
    [geometry, shownDiagram, current, highlight, selectedIndex],
  );
  const signature = useMemo(() => nodes.map((n) => n.id).join('|'), [nodes]);
  return {
    nodes,
    edges,
    signature,
    pending,
    error: shown.status === 'failed' ? shown.message : undefined,
  };
}

const NO_HIGHLIGHT: Highlight = { tensors: [], legs: [] };
