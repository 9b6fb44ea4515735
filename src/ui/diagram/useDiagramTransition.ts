import { useEffect, useMemo, useState } from 'react';
import type { FlowNode } from './flowElements.ts';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';
import { diffScenes, sceneAt, settled, type Scene, type SceneDiff } from './transition.ts';

/** Long enough to follow a tensor across the canvas, short enough not to hold up the next step. */
export const TRANSITION_MS = 500;

function reducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true
  );
}

interface Running {
  id: number;
  before: Scene;
  diff: SceneDiff;
  t: number;
}

/**
 * Animates the diagram from one network to the next (`key` names the network drawn): kept
 * tensors glide to their new place, what the step removed fades out and what it added fades
 * in, frame by frame so the edges follow their legs. Input is never held up: a change in the
 * middle starts the next move from where things are. Nothing moves when `animate` is false
 * or the user asked for reduced motion.
 */
export function useDiagramTransition(
  nodes: FlowNode[],
  edges: RoutedFlowEdge[],
  key: unknown,
  animate: boolean,
): { nodes: FlowNode[]; edges: RoutedFlowEdge[]; moving: boolean } {
  const [prev, setPrev] = useState<{ key: unknown; nodes: FlowNode[]; edges: RoutedFlowEdge[] }>({
    key,
    nodes,
    edges,
  });
  const [running, setRunning] = useState<Running | undefined>(undefined);
  // Derived from the previous render (React's pattern for state that follows props).
  if (prev.key !== key || prev.nodes !== nodes || prev.edges !== edges) {
    setPrev({ key, nodes, edges });
    if (prev.key !== key) {
      const target = { nodes, edges };
      const drawn = running
        ? settled(sceneAt(running.before, prev, running.diff, running.t))
        : { nodes: prev.nodes, edges: prev.edges };
      const move = animate && drawn.nodes.length > 0 && nodes.length > 0 && !reducedMotion();
      setRunning(
        move
          ? { id: (running?.id ?? 0) + 1, before: drawn, diff: diffScenes(drawn, target), t: 0 }
          : undefined,
      );
    }
  }
  const runId = running?.id;
  useEffect(() => {
    if (runId === undefined) return;
    let start: number | undefined;
    let frame = 0;
    const tick = (now: number) => {
      start ??= now;
      const t = (now - start) / TRANSITION_MS;
      if (t >= 1) {
        setRunning((r) => (r?.id === runId ? undefined : r));
        return;
      }
      setRunning((r) => (r?.id === runId ? { ...r, t } : r));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [runId]);
  const scene = useMemo(
    () =>
      running ? sceneAt(running.before, { nodes, edges }, running.diff, running.t) : undefined,
    [running, nodes, edges],
  );
  return scene ? { ...scene, moving: true } : { nodes, edges, moving: false };
}
