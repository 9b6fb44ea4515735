import { describe, expect, it } from 'vitest';
import { vjp } from '../../src/core/diff/index.ts';
import { parseEinsum } from '../../src/core/einsum/index.ts';
import { buildLayerNetwork, type LayerConfig } from '../../src/core/layer.ts';
import { OP_NAMES } from '../../src/core/ops/index.ts';
import { isomorphism, recogniseNetwork } from '../../src/core/recognise.ts';
import { simplify } from '../../src/core/rewrite/index.ts';

const layer: LayerConfig = {
  batch: 2,
  inChannels: 4,
  outChannels: 6,
  input: [9, 8],
  kernel: [3, 3],
  stride: [2, 2],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

describe('recognising what a network is', () => {
  it('labels the VJP of a strided convolution by W as the weight VJP of that layer, without a hint', () => {
    const conv = buildLayerNetwork('conv_forward', { ...layer, groups: 1 });
    const byHand = vjp(conv, 'weight', 'v').terms[0].network;
    const found = recogniseNetwork(byHand);
    expect(found?.op).toBe('conv_weight_vjp');
    expect(found?.layer).toMatchObject({
      stride: [2, 2],
      padding: [1, 1],
      inChannels: 4,
      outChannels: 6,
    });
    expect(found?.inputs).toEqual({ x: 'x', v: 'v' });
  });

  it('recognises every operation from its own network, simplified or not, renamed or not', () => {
    for (const op of OP_NAMES) {
      const net = buildLayerNetwork(op, layer);
      expect(recogniseNetwork(net, layer)?.op, op).toBe(op);
      expect(recogniseNetwork(simplify(net).network, layer)?.op, `${op} simplified`).toBe(op);
    }
    const conv = buildLayerNetwork('conv_forward', layer);
    const renamed = structuredClone(conv);
    for (const t of renamed.tensors) if (t.kind === 'data' && t.source === 'weight') t.source = 'K';
    expect(recogniseNetwork(renamed)?.inputs).toEqual({ x: 'x', weight: 'K' });
  });

  it('finds no operation in a network that is none, nor a wrong one', () => {
    expect(
      recogniseNetwork(
        parseEinsum('ab,bc->ac', [
          [2, 3],
          [3, 4],
        ]),
      ),
    ).toBeUndefined();
    const conv = buildLayerNetwork('conv_forward', layer);
    const other = buildLayerNetwork('conv_forward', { ...layer, padding: [0, 0] });
    expect(isomorphism(conv, other)).toBeUndefined();
    // Swapping two legs of W is a different network.
    const swapped = structuredClone(conv);
    const w = swapped.tensors.find((t) => t.kind === 'data' && t.source === 'weight')!;
    [w.legs[3], w.legs[4]] = [w.legs[4], w.legs[3]];
    expect(isomorphism(conv, swapped)).toBeUndefined();
  });
});
