import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { simplify } from '../../src/core/rewrite/simplify.ts';
import { DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';
import { buildDiagram } from '../../src/ui/diagram/graph.ts';
import { elkGeometry, elkGraph } from '../../src/ui/diagram/elkGraph.ts';
import type { Geometry } from '../../src/ui/diagram/geometry.ts';
import { mirrorPairs, routeCrossings } from '../../src/ui/diagram/mirror.ts';

const centre = (g: Geometry, id: string) => {
  const box = g.boxes[`t:${id}`];
  return box.position.y + box.height / 2;
};

/** Crossings of the drawn routes, counted as routeCrossings counts ELK's. */
const crossings = (g: Geometry) =>
  routeCrossings({
    id: 'root',
    edges: Object.entries(g.routes).map(([id, route]) => ({
      id,
      sources: [],
      targets: [],
      sections: [
        {
          id,
          startPoint: route[0],
          endPoint: route.at(-1)!,
          bendPoints: route.slice(1, -1),
        },
      ],
    })),
  });

describe('copies drawn as a mirror image', () => {
  it("pairs x′ with x and each Π′ with the Π on the same axis of x's legs", () => {
    const pairs = mirrorPairs(buildLayerNetwork('kfc', DEFAULT_LAYER));
    expect(pairs.data.map(([a, b]) => [a.id, b.id])).toEqual([['x', 'x2']]);
    expect(pairs.patterns.map(([a, b]) => [a.id, b.id])).toEqual([
      ['Pi1', 'Pi1b'],
      ['Pi2', 'Pi2b'],
    ]);
    expect(mirrorPairs(buildLayerNetwork('conv_forward', DEFAULT_LAYER))).toEqual({
      data: [],
      patterns: [],
    });
  });

  it('draws KFC with each Π facing its Π′ on one row, the shared o leg straight', async () => {
    const net = buildLayerNetwork('kfc', DEFAULT_LAYER);
    const g = await elkGeometry(new ELK(), net, buildDiagram(net));
    for (const [pi, copy, o] of [
      ['Pi1', 'Pi1b', 'o1'],
      ['Pi2', 'Pi2b', 'o2'],
    ]) {
      expect(Math.abs(centre(g, copy) - centre(g, pi)), `${pi} and ${copy}`).toBeLessThan(1);
      const route = g.routes[`e:${o}`];
      expect(new Set(route.map((p) => Math.round(p.y))).size, `${o} is straight`).toBe(1);
      expect(g.boxes[`t:${copy}`].position.x).toBeGreaterThan(g.boxes[`t:${pi}`].position.x);
    }
  }, 30_000);

  it('never draws more crossings than the plain layout, nor two ports on one spot', async () => {
    const elk = new ELK();
    for (const op of ['kfc', 'kfac_reduce', 'kfac_reduce simplified', 'ggn_gram'] as const) {
      const built = buildLayerNetwork(
        op === 'kfac_reduce simplified' ? 'kfac_reduce' : op,
        DEFAULT_LAYER,
      );
      const net = op.endsWith('simplified')
        ? (simplify(built).steps.at(-1)?.network ?? built)
        : built;
      const diagram = buildDiagram(net);
      const plain = await elk.layout(elkGraph(net, diagram).graph);
      const g = await elkGeometry(elk, net, diagram);
      expect(crossings(g), op).toBeLessThanOrEqual(routeCrossings(plain));
      for (const [node, handles] of Object.entries(g.handles))
        for (const [k, h] of handles.entries())
          for (const other of handles.slice(k + 1))
            if (h.side === other.side && h.side !== 'top' && h.side !== 'bottom')
              expect(Math.abs(h.y - other.y), `${op} ${node} ${h.id}`).toBeGreaterThanOrEqual(10);
    }
  }, 60_000);
});
