import { getViewportForBounds, useReactFlow, useStore, type Rect } from '@xyflow/react';
import { useEffect } from 'react';
import { FIT_PADDING } from './fitPadding.ts';
import { TRANSITION_MS } from './useDiagramTransition.ts';

/**
 * Fits the view whenever the set of nodes changes (a new preset, a derivative, a step), to
 * where the diagram ends up, gliding there while a step is animated. A child of ReactFlow.
 */
export function FitOnStructureChange({
  signature,
  bounds,
  glide,
  maxZoom = 2,
}: {
  signature: string;
  bounds: Rect | undefined;
  glide: boolean;
  maxZoom?: number;
}) {
  const { setViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    if (!bounds || width === 0 || height === 0) return;
    const viewport = getViewportForBounds(bounds, width, height, 0.05, maxZoom, FIT_PADDING);
    const frame = requestAnimationFrame(
      () => void setViewport(viewport, { duration: glide ? TRANSITION_MS : 0 }),
    );
    return () => cancelAnimationFrame(frame);
    // Only a new set of nodes refits; a resize or a glide flag alone does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, setViewport]);
  return null;
}
