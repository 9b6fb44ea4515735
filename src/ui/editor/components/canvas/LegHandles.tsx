import { Handle } from '@xyflow/react';
import type { CSSProperties } from 'react';
import type { HandleSpec } from '../../model/handles.ts';
import { POSITION } from './flowElements.ts';

/** Legs as connectable handles at precomputed places, each with its index name beside it. */
function labelStyle(h: HandleSpec): CSSProperties {
  const cx = h.x + h.width / 2;
  const cy = h.y + h.height / 2;
  switch (h.side) {
    case 'left':
      return { left: cx + 8, top: cy, transform: 'translateY(-50%)' };
    case 'right':
      return { left: cx - 8, top: cy, transform: 'translate(-100%, -50%)' };
    case 'top':
      return { left: cx, top: cy + 6, transform: 'translateX(-50%)' };
    case 'bottom':
      return { left: cx, top: cy - 6, transform: 'translate(-50%, -100%)' };
  }
}

export function LegHandles({
  handles,
  showLabels = true,
}: {
  handles: readonly HandleSpec[];
  showLabels?: boolean;
}) {
  return handles.map((h) => (
    <span key={h.id}>
      <Handle
        type="source"
        id={h.id}
        position={POSITION[h.side]}
        className="leg-handle"
        style={{ left: h.x, top: h.y, width: h.width, height: h.height, transform: 'none' }}
        title={h.label ? `leg ${h.label}: drag to another leg to join them` : undefined}
      />
      {showLabels && h.label && (
        <span className={`leg-label side-${h.side}`} style={labelStyle(h)}>
          {h.label}
        </span>
      )}
    </span>
  ));
}
