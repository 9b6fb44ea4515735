import { HubNode } from './HubNode.tsx';
import { OutputNode } from './OutputNode.tsx';
import { TensorNode } from './TensorNode.tsx';
import { RoutedEdge } from './RoutedEdge.tsx';

// 'output' would pick up React Flow's own styles for its built-in output node type.
export const nodeTypes = { tensor: TensorNode, hub: HubNode, boundary: OutputNode };
export const edgeTypes = { routed: RoutedEdge };
