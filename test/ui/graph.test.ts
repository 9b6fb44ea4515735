import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { buildDiagram, OUTPUT_NODE } from '../../src/ui/diagram/graph.ts';
import { nodeHandles } from '../../src/ui/diagram/handles.ts';
import { layoutDiagram } from '../../src/ui/diagram/diagramLayout.ts';
import { einsumNetwork } from '../../src/ui/editor/model/einsumInput.ts';
import { DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';

const conv = buildLayerNetwork('conv_forward', DEFAULT_LAYER);

describe('diagram of a network', () => {
  const d = buildDiagram(conv);

  it('has a node per tensor, the output, and hubs for hyperedges only', () => {
    const ids = d.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['t:x', 't:Pi1', 't:Pi2', 't:weight', OUTPUT_NODE]));
    // g is on x, W and the output: a hyperedge. c_in joins x and W directly.
    expect(d.nodes.filter((n) => n.kind === 'hub').map((n) => n.index)).toEqual(['g']);
    const cIn = d.edges.filter((e) => e.index === 'c_in');
    expect(cIn).toHaveLength(1);
    expect([cIn[0].source.node, cIn[0].target.node].sort()).toEqual(['t:weight', 't:x']);
    expect(d.edges.filter((e) => e.index === 'g')).toHaveLength(3);
  });

  it('runs open legs to the output in result order', () => {
    const open = d.edges.filter(
      (e) => e.target.node === OUTPUT_NODE || e.source.node === OUTPUT_NODE,
    );
    expect(open.map((e) => e.index).sort()).toEqual([...conv.output].sort());
    expect(open.every((e) => e.open)).toBe(true);
  });

  it('puts a leg summed on one tensor on a hub of its own', () => {
    const net = einsumNetwork('a b, b c -> c', 'a=2 b=3 c=4');
    const hubs = buildDiagram(net).nodes.filter((n) => n.kind === 'hub');
    expect(hubs.map((h) => h.index)).toEqual(['a']);
  });

  it('lays out every node, with each leg facing its other end', () => {
    const layout = layoutDiagram(conv, d);
    for (const node of d.nodes) expect(layout.boxes[node.id]).toBeDefined();
    const x = layout.boxes['t:x'].position.x;
    const w = layout.boxes['t:weight'].position.x;
    expect(x).toBeLessThan(w);
    // x's legs all go right (everything else is right of it).
    expect(Object.values(layout.sides['t:x'])).toEqual(Array(5).fill('right'));
    const handles = nodeHandles(
      conv,
      d.nodes.find((n) => n.id === 't:x')!,
      layout,
    );
    expect(handles.map((h) => h.label)).toEqual(['n', 'g', 'c_in', 'i1', 'i2']);
    expect(new Set(handles.map((h) => h.y)).size).toBe(5);
  });

  it('keeps nodes the user moved where they are', () => {
    const layout = layoutDiagram(conv, d, { 't:x': { x: 1000, y: -50 } });
    expect(layout.boxes['t:x'].position).toEqual({ x: 1000, y: -50 });
    expect(Object.values(layout.sides['t:x'])).toContain('left');
  });
});
