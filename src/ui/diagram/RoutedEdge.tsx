import { BaseEdge, getStraightPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { Point } from './diagramLayout.ts';
import type { Phase } from './diagramDiff.ts';
import { roundedPath, type LabelBox } from './geometry.ts';
import { LABEL_PAD, monoWidth, TEXT } from './style.ts';

/**
 * An index drawn along the route the layout chose (orthogonal, around the tensors), its
 * name in the box the layout kept free for it. An edge whose end was moved by hand has no
 * route any more and runs straight between its legs, its name at the middle.
 */
export interface RoutedEdgeData extends Record<string, unknown> {
  index: string;
  route?: Point[];
  label?: LabelBox;
  /** The name to show at the middle when the edge has no route. */
  text?: string;
  /** Set while a derivation step is animated. */
  phase?: Phase;
  opacity?: number;
}

export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

function floatingBox(text: string, x: number, y: number): LabelBox {
  const width = monoWidth(text, TEXT.index) + 2 * LABEL_PAD;
  const height = Math.ceil(TEXT.index * 1.3);
  return { text, x: x - width / 2, y: y - height / 2, width, height };
}

function EdgeLabel({ text, box }: { text: string; box: LabelBox }) {
  return (
    <g className="edge-label">
      <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={3} />
      <text
        x={box.x + box.width / 2}
        y={box.y + box.height / 2}
        dominantBaseline="central"
        textAnchor="middle"
      >
        {text}
      </text>
    </g>
  );
}

function RoutedEdgeView({
  id,
  data,
  sourceX,
  sourceY,
  targetX,
  targetY,
  style,
  interactionWidth,
}: EdgeProps<RoutedFlowEdge>) {
  const route = data?.route;
  const [straight, midX, midY] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const path = route && route.length >= 2 ? roundedPath(route) : straight;
  const box = route ? data?.label : undefined;
  const text = box?.text ?? data?.text;
  const drawn = (
    <>
      <BaseEdge id={id} path={path} style={style} interactionWidth={interactionWidth} />
      {text && <EdgeLabel text={text} box={box ?? floatingBox(text, midX, midY)} />}
    </>
  );
  return data?.phase ? (
    <g opacity={data.opacity} data-phase={data.phase}>
      {drawn}
    </g>
  ) : (
    drawn
  );
}

export const RoutedEdge = memo(RoutedEdgeView);
