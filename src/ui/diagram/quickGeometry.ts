import type { Network } from '../../core/network.ts';
import type { Diagram } from './graph.ts';
import { nodeHandles, NEW_OPEN_LEG } from './handles.ts';
import { layoutDiagram } from './diagramLayout.ts';
import type { Geometry } from './geometry.ts';

/**
 * Geometry for networks too large for ELK's layered layout to finish in interactive time
 * (a 30-tensor chain with an open leg each took ELK 5 s and a 60-tensor one 20 s here, much of it routing the open legs
 * across every layer to the border): dagre places the nodes, edges run straight between
 * their legs.
 */
export const ELK_MAX_TENSORS = 24;

export function quickGeometry(net: Network, diagram: Diagram, withNewLeg: boolean): Geometry {
  const layout = layoutDiagram(net, diagram);
  const geometry: Geometry = { boxes: layout.boxes, handles: {}, routes: {}, labels: {} };
  for (const node of diagram.nodes) {
    const handles = nodeHandles(net, node, layout);
    geometry.handles[node.id] = withNewLeg ? handles : handles.filter((h) => h.id !== NEW_OPEN_LEG);
  }
  return geometry;
}
