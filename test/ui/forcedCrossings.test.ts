import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { presetSource } from '../../src/core/diagram/presets.ts';
import { derive } from '../../src/ui/editor/model/replayDoc.ts';
import { buildDiagram } from '../../src/ui/diagram/graph.ts';
import { elkGraph } from '../../src/ui/diagram/elkGraph.ts';
import { routeCrossings } from '../../src/ui/diagram/mirror.ts';
import { sketch } from '../helpers/sketches.ts';

/**
 * Some crossings are forced by the result's leg order: open legs end at the border in that
 * order, and when two tensors' legs alternate there, one tensor's legs cut the plane into
 * regions that hold the other's ends apart. These diagrams must draw no more than that.
 */
describe('crossings the result order forces', () => {
  it('draws the patchify input VJP simplified with exactly its two forced crossings', async () => {
    const doc = sketch(presetSource('dense_patchify'), [
      { kind: 'vjp', source: 'x', term: 0 },
      { kind: 'simplify' },
    ]);
    const net = derive(doc).network;
    const data = net.tensors.filter((t) => t.kind === 'data');
    expect(data).toHaveLength(2);
    // Which tensor holds each open leg, in the result's order: they alternate.
    const holder = net.output.map((leg) => data.findIndex((t) => t.legs.includes(leg)));
    expect(holder).toEqual([0, 1, 0, 1, 0, 1].map((k) => (k === 0 ? holder[0] : 1 - holder[0])));
    // The first tensor's three open legs and the leg joining the two split the half-plane
    // left of the border into three regions, each holding one of the second tensor's
    // three ends: two of its legs must cross one of the first's.
    const result = await new ELK().layout(elkGraph(net, buildDiagram(net)).graph);
    expect(routeCrossings(result)).toBe(2);
  }, 30_000);
});
