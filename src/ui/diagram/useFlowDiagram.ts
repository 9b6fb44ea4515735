import type { Rect } from '@xyflow/react';
import { useMemo } from 'react';
import type { Network } from '../../core/network.ts';
import { edgeEnds, flowEdges, flowNodes, type FlowNode, type Highlight } from './flowElements.ts';
import { buildDiagram } from './graph.ts';
import type { Point } from './diagramLayout.ts';
import { placeGeometry } from './geometry.ts';
import { useGeometry } from './layoutService.ts';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';
import { useDiagramTransition } from './useDiagramTransition.ts';

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
    /** Animate a change of network (a derivation step); see useDiagramTransition. */
    animate?: boolean;
  },
): {
  nodes: FlowNode[];
  edges: RoutedFlowEdge[];
  /** The node ids of the diagram being drawn (also while a step is still animated). */
  signature: string;
  /** Where the diagram being drawn lies once any animation has ended. */
  bounds?: Rect;
  pending: boolean;
  /** A derivation step is being animated. */
  moving: boolean;
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
  const bounds = useMemo(() => boundsOf(nodes), [nodes]);
  const drawn = useDiagramTransition(nodes, edges, shownNet, options.animate ?? false);
  return {
    nodes: drawn.nodes,
    edges: drawn.edges,
    signature,
    bounds,
    pending,
    moving: drawn.moving,
    error: shown.status === 'failed' ? shown.message : undefined,
  };
}

function boundsOf(nodes: readonly FlowNode[]): Rect | undefined {
  if (nodes.length === 0) return undefined;
  const xs = nodes.flatMap((n) => [n.position.x, n.position.x + (n.width ?? 0)]);
  const ys = nodes.flatMap((n) => [n.position.y, n.position.y + (n.height ?? 0)]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

const NO_HIGHLIGHT: Highlight = { tensors: [], legs: [] };
