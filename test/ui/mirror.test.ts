import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import type { OpName } from '../../src/core/ops/index.ts';
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

  it('draws KFC as a mirror image: Π facing Π′ and x facing x′, the o and n legs straight', async () => {
    const net = buildLayerNetwork('kfc', DEFAULT_LAYER);
    const g = await elkGeometry(new ELK(), net, buildDiagram(net));
    for (const [original, copy, leg] of [
      ['Pi1', 'Pi1b', 'o1'],
      ['Pi2', 'Pi2b', 'o2'],
      ['x', 'x2', 'n'],
    ]) {
      expect(
        Math.abs(centre(g, copy) - centre(g, original)),
        `${original} and ${copy}`,
      ).toBeLessThan(1);
      const route = g.routes[`e:${leg}`];
      expect(new Set(route.map((p) => Math.round(p.y))).size, `${leg} is straight`).toBe(1);
      expect(g.boxes[`t:${copy}`].position.x).toBeGreaterThan(g.boxes[`t:${original}`].position.x);
    }
  }, 30_000);

  it('mirrors simplified KFC too, at one crossing more than the plain layout', async () => {
    const elk = new ELK();
    const net = simplify(buildLayerNetwork('kfc', DEFAULT_LAYER)).steps.at(-1)!.network;
    const diagram = buildDiagram(net);
    const g = await elkGeometry(elk, net, diagram);
    const pairs = mirrorPairs(net);
    expect(pairs.data.length + pairs.patterns.length).toBeGreaterThan(1);
    for (const [original, copy] of [...pairs.data, ...pairs.patterns])
      expect(Math.abs(centre(g, copy.id) - centre(g, original.id)), copy.id).toBeLessThan(1);
    const plain = await elk.layout(elkGraph(net, diagram).graph);
    expect(crossings(g)).toBe(routeCrossings(plain) + 1);
  }, 30_000);

  it('costs at most two crossings for an exact mirror and none otherwise, nor puts two ports on one spot', async () => {
    const elk = new ELK();
    const ops = [
      'kfc',
      'kfc simplified',
      'kfac_reduce',
      'kfac_reduce simplified',
      'ggn_gram',
      'per_example_grad_norm',
    ] as const;
    for (const op of ops) {
      const built = buildLayerNetwork(op.split(' ')[0] as OpName, DEFAULT_LAYER);
      const net = op.endsWith('simplified')
        ? (simplify(built).steps.at(-1)?.network ?? built)
        : built;
      const diagram = buildDiagram(net);
      const plain = await elk.layout(elkGraph(net, diagram).graph);
      const g = await elkGeometry(elk, net, diagram);
      const pairs = mirrorPairs(net);
      const exact = [...pairs.data, ...pairs.patterns].every(
        ([a, b]) => Math.abs(centre(g, a.id) - centre(g, b.id)) < 1,
      );
      expect(crossings(g), op).toBeLessThanOrEqual(routeCrossings(plain) + (exact ? 2 : 0));
      for (const [node, handles] of Object.entries(g.handles))
        for (const [k, h] of handles.entries())
          for (const other of handles.slice(k + 1))
            if (h.side === other.side && h.side !== 'top' && h.side !== 'bottom')
              expect(Math.abs(h.y - other.y), `${op} ${node} ${h.id}`).toBeGreaterThanOrEqual(10);
    }
  }, 60_000);
});
