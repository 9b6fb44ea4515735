import { Handle } from '@xyflow/react';
import type { HandleSpec } from './handles.ts';
import { POSITION } from './flowElements.ts';

/**
 * Legs as connectable handles where the layout put them. A leg's mark (k / o / i on Π) is
 * drawn in the room the layout kept for it inside the node.
 */
export function LegHandles({ handles }: { handles: readonly HandleSpec[] }) {
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
      {h.labelBox && (
        <span
          className="leg-mark"
          style={{
            left: h.labelBox.x,
            top: h.labelBox.y,
            width: h.labelBox.width,
            height: h.labelBox.height,
          }}
        >
          {h.labelBox.text}
        </span>
      )}
    </span>
  ));
}
