import { beforeAll, describe, expect, it } from 'vitest';
import { vjp } from '../../src/core/diff/index.ts';
import { buildLayerNetwork, type LayerConfig } from '../../src/core/layer.ts';
import { reducedCopy } from '../../src/core/reduce.ts';
import { simplify } from '../../src/core/rewrite/index.ts';
import { selectNodeBackend } from '../../src/engine/node.ts';
import { checkReducedCopy } from '../../src/ui/run/reducedCheck.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

const big: LayerConfig = {
  batch: 32,
  inChannels: 64,
  outChannels: 128,
  input: [56, 56],
  kernel: [3, 3],
  stride: [2, 2],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

describe('reduced copy of a network', () => {
  it('keeps tensors, legs and Π hyper-parameters with every size cut down', () => {
    for (const op of ['conv_forward', 'kfc', 'kfac_reduce', 'conv_transpose_forward'] as const) {
      const net = simplify(buildLayerNetwork(op, big)).network;
      const small = reducedCopy(net)!;
      expect(small, op).toBeDefined();
      expect(small.tensors.map((t) => [t.kind, t.legs.join()])).toEqual(
        net.tensors.map((t) => [t.kind, t.legs.join()]),
      );
      small.tensors.forEach((t, j) => {
        const u = net.tensors[j];
        if (t.kind === 'index_pattern' && u.kind === 'index_pattern') {
          const { kernelSize, stride, dilation, padLeft, padRight } = u.pattern;
          expect(t.pattern).toMatchObject({ kernelSize, stride, dilation, padLeft, padRight });
          expect(t.pattern.outputSize).toBeLessThanOrEqual(3);
        }
      });
      expect(Math.max(...Object.values(small.sizes))).toBeLessThan(10);
    }
  });

  it('lets the engine be checked against float64 on a derivation too large for the reference', async () => {
    const byHand = vjp(buildLayerNetwork('conv_forward', big), 'weight', 'v').terms[0].network;
    const check = await checkReducedCopy(byHand, 7);
    if ('skip' in check) throw new Error(check.skip);
    expect(check.maxAbs).toBeGreaterThan(0);
    expect(check.maxError).toBeLessThan(1e-4 * Math.max(1, check.maxAbs));
    expect(check.note).toMatch(/reduced copy/);
  });
});
