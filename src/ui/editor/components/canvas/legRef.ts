import type { LegRef } from '../../../../core/diagram/networkEdits.ts';
import { handlePosition, OUTPUT_NODE } from '../../../diagram/graph.ts';
import { NEW_OPEN_LEG } from '../../../diagram/handles.ts';

/** The leg a React Flow node id and handle id stand for. */
export function legRefOf(node: string, handle: string | null | undefined): LegRef | undefined {
  if (node === OUTPUT_NODE) {
    if (handle === NEW_OPEN_LEG) return { kind: 'output-new' };
    const position = handlePosition(handle);
    return position === undefined ? undefined : { kind: 'output', position };
  }
  if (node.startsWith('h:')) return { kind: 'hub', index: node.slice(2) };
  if (node.startsWith('t:')) {
    const axis = handlePosition(handle);
    return axis === undefined ? undefined : { kind: 'tensor', tensorId: node.slice(2), axis };
  }
  return undefined;
}
