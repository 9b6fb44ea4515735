import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { flowEdges, flowNodes } from '../../src/ui/editor/components/canvas/flowElements.ts';
import { legRefOf } from '../../src/ui/editor/components/canvas/legRef.ts';
import { buildDiagram } from '../../src/ui/editor/model/graph.ts';
import { layoutDiagram } from '../../src/ui/editor/model/layout.ts';
import { DEFAULT_LAYER } from '../../src/ui/editor/model/presets.ts';

const net = buildLayerNetwork('conv_forward', DEFAULT_LAYER);
const diagram = buildDiagram(net);
const layout = layoutDiagram(net, diagram);

describe('React Flow elements', () => {
  it('gives every node its size and handles, so nothing needs measuring', () => {
    const nodes = flowNodes(net, diagram, layout, { tensors: ['Pi1'], legs: [] });
    for (const n of nodes) {
      expect(n.width).toBeGreaterThan(0);
      expect(n.measured).toEqual({ width: n.width, height: n.height });
      expect(n.handles?.length).toBeGreaterThan(0);
    }
    const pi1 = nodes.find((n) => n.id === 't:Pi1')!;
    expect(pi1.type).toBe('tensor');
    expect(pi1.type === 'tensor' && pi1.data.highlighted).toBe(true);
    expect(nodes.find((n) => n.id === 'output')?.type).toBe('boundary');
  });

  it('labels direct edges with index and size; hub edges leave it to the hub', () => {
    const edges = flowEdges(diagram, { tensors: [], legs: ['c_in'] }, 'k1');
    const cIn = edges.find((e) => e.id === 'e:c_in')!;
    expect(cIn.label).toBe('c_in · 16');
    expect(cIn.className).toContain('changed');
    expect(edges.find((e) => e.id === 'e:k1')?.selected).toBe(true);
    expect(edges.filter((e) => e.id.startsWith('e:g:')).every((e) => e.label === undefined)).toBe(
      true,
    );
  });

  it('maps handles back to legs', () => {
    expect(legRefOf('t:weight', 'leg-2')).toEqual({ kind: 'tensor', tensorId: 'weight', axis: 2 });
    expect(legRefOf('output', 'out-1')).toEqual({ kind: 'output', position: 1 });
    expect(legRefOf('output', 'out-new')).toEqual({ kind: 'output-new' });
    expect(legRefOf('h:g', 'hub')).toEqual({ kind: 'hub', index: 'g' });
    expect(legRefOf('t:x', null)).toBeUndefined();
  });
});
