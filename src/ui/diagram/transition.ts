import type { FlowNode } from './flowElements.ts';
import {
  diffEdges,
  diffNodes,
  ease,
  lerpLabel,
  lerpPoint,
  lerpRoute,
  type EdgeDiff,
  type NodeDiff,
  type Phase,
} from './diagramDiff.ts';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';

/**
 * The frames of a derivation step: the diagram before and after, and in between the kept
 * nodes part way to their new place (their edges' routes blended along), what the step
 * removed fading out where it was and what it added fading in where it will be.
 */
export interface Scene {
  nodes: FlowNode[];
  edges: RoutedFlowEdge[];
}

export interface SceneDiff {
  nodes: NodeDiff;
  edges: EdgeDiff;
}

function nameOf(node: FlowNode): string | undefined {
  return node.type === 'tensor' ? node.data.tensor.label : undefined;
}

export function diffScenes(before: Scene, after: Scene): SceneDiff {
  const snap = (n: FlowNode) => ({ id: n.id, position: n.position, name: nameOf(n) });
  return {
    nodes: diffNodes(before.nodes.map(snap), after.nodes.map(snap)),
    edges: diffEdges(
      before.edges.map((e) => e.id),
      after.edges.map((e) => e.id),
    ),
  };
}

function withPhase(node: FlowNode, phase: Phase, opacity: number, position = node.position) {
  const leaving = phase === 'leaving';
  return {
    ...node,
    position,
    data: { ...node.data, phase },
    style: { ...node.style, opacity, ...(leaving ? { pointerEvents: 'none' as const } : {}) },
    ...(leaving
      ? {
          selected: false,
          selectable: false,
          draggable: false,
          connectable: false,
          focusable: false,
        }
      : {}),
  } as FlowNode;
}

/** The scene a fraction `t` (0 to 1, eased here) of the way from `before` to `after`. */
export function sceneAt(before: Scene, after: Scene, diff: SceneDiff, t: number): Scene {
  const e = ease(t);
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const kept = new Map(diff.nodes.kept.map((k) => [k.id, k]));
  const renamed = new Map(diff.nodes.kept.map((k) => [k.was, k.id]));
  const ghosts = diff.nodes.removed
    .map((id) => oldNodes.get(id))
    .filter((n): n is FlowNode => n !== undefined)
    .map((n) => withPhase(n, 'leaving', 1 - e));
  const nodes = after.nodes.map((n) => {
    const k = kept.get(n.id);
    return k
      ? withPhase(n, 'moving', 1, lerpPoint(k.from, n.position, e))
      : withPhase(n, 'entering', e);
  });
  const shown = [...ghosts, ...nodes];

  const oldEdges = new Map(before.edges.map((x) => [x.id, x]));
  const keptEdges = new Set(diff.edges.kept);
  const edges = after.edges.map((edge): RoutedFlowEdge => {
    const data = edge.data!;
    const was = oldEdges.get(edge.id)?.data;
    if (!keptEdges.has(edge.id) || !was)
      return { ...edge, data: { ...data, phase: 'entering', opacity: e } };
    const route = was.route && data.route ? lerpRoute(was.route, data.route, e) : undefined;
    const label = was.label && data.label ? lerpLabel(was.label, data.label, e) : data.label;
    return { ...edge, data: { ...data, route, label, phase: 'moving', opacity: 1 } };
  });
  // A removed edge fades out along its old route, between its ends as drawn now; one whose
  // end kept its node but not that leg has nothing to hang on and goes at once.
  const handles = new Map(shown.map((n) => [n.id, new Set(n.handles?.map((h) => h.id))]));
  const end = (node: string) => renamed.get(node) ?? node;
  const fading = diff.edges.removed.flatMap((id): RoutedFlowEdge[] => {
    const edge = oldEdges.get(id);
    if (!edge) return [];
    const source = end(edge.source);
    const target = end(edge.target);
    if (
      !handles.get(source)?.has(edge.sourceHandle!) ||
      !handles.get(target)?.has(edge.targetHandle!)
    )
      return [];
    return [
      {
        ...edge,
        source,
        target,
        selected: false,
        selectable: false,
        focusable: false,
        interactionWidth: 0,
        data: { ...edge.data!, phase: 'leaving', opacity: 1 - e },
      },
    ];
  });
  return { nodes: shown, edges: [...fading, ...edges] };
}

/** A scene in the middle of a step as the start of the next one: what is leaving is gone. */
export function settled(scene: Scene): Scene {
  return {
    nodes: scene.nodes.filter((n) => n.data.phase !== 'leaving'),
    edges: scene.edges.filter((e) => e.data?.phase !== 'leaving'),
  };
}
