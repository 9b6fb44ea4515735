import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerOpInput, type LayerConfig } from '../../src/core/layer.ts';
import { getOperation } from '../../src/core/ops/index.ts';
import { BENCH_OPS, BENCH_OP_NAMES, builtinFor } from '../../src/engine/baselines.ts';
import { evaluateNetwork } from '../../src/engine/evaluate.ts';
import { selectNodeBackend } from '../../src/engine/node.ts';
import { randomTensor } from '../helpers/random.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

const base: LayerConfig = {
  batch: 2,
  inChannels: 4,
  outChannels: 6,
  input: [9, 8],
  kernel: [3, 2],
  stride: [2, 1],
  padding: [1, 0],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

/** One layer per branch of the baselines (and the skips). */
const layers: [string, LayerConfig][] = [
  ['2-d', base],
  ['2-d grouped', { ...base, groups: 2 }],
  ['2-d depthwise', { ...base, outChannels: 4, groups: 4 }],
  ['2-d depthwise ×2', { ...base, outChannels: 8, groups: 4 }],
  ['2-d dilated', { ...base, stride: [1, 1], dilation: [2, 3], padding: [2, 1] }],
  ['1-d dilated', { ...base, input: [20], kernel: [2], stride: [1], padding: [0], dilation: [4] }],
  ['1-d strided', { ...base, input: [20], kernel: [3], stride: [2], padding: [1], dilation: [1] }],
  ['3-d same', { ...base, input: [4, 5, 5], kernel: [3, 3, 3], stride: [1, 1, 1], padding: [1, 1, 1], dilation: [1, 1, 1] }],
  ['3-d strided', { ...base, input: [5, 6, 5], kernel: [2, 3, 1], stride: [2, 1, 2], padding: [0, 1, 0], dilation: [1, 1, 1] }],
];

describe('built-in baselines agree with the engine (tfjs-backend-cpu)', () => {
  it.each(layers)('%s', async (_name, layer) => {
    const skipped: string[] = [];
    for (const op of BENCH_OPS) {
      const input = layerOpInput(BENCH_OP_NAMES[op], layer);
      const net = getOperation(BENCH_OP_NAMES[op]).build(input);
      const host = Object.fromEntries(Object.entries(input.shapes).map(([k, s], j) => [k, randomTensor(s, j + 3)]));
      const { result } = await evaluateNetwork(net, host);
      const choice = builtinFor(op, layer);
      if ('skip' in choice) {
        skipped.push(`${op}: ${choice.skip}`);
        continue;
      }
      const before = tf.memory().numTensors;
      const torch = Object.fromEntries(Object.entries(host).map(([k, t]) => [k, tf.tensor(Float32Array.from(t.data), t.shape)]));
      const prepared = choice.builtin.prepare(torch);
      const out = choice.builtin.run(prepared);
      const asTorch = choice.builtin.toTorch(out);
      expect(asTorch.shape, op).toEqual(net.resultShape);
      const got = await asTorch.data();
      let err = 0;
      let scale = 0;
      result.data.forEach((v, j) => {
        err = Math.max(err, Math.abs(v - got[j]));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(err / scale, `${op} (${choice.builtin.name})`).toBeLessThan(1e-5);
      tf.dispose([...Object.values(torch), ...prepared, out, asTorch]);
      expect(tf.memory().numTensors - before, op).toBe(0);
    }
    // Only tfjs's documented gaps are skipped: dilated VJPs.
    for (const s of skipped) expect(s).toMatch(/dilation/);
    if (layer.dilation.every((d) => d === 1)) expect(skipped).toEqual([]);
  });
});
