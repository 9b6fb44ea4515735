import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerOpInput, type LayerConfig } from '../../../src/core/layer.ts';
import { getOperation, type OpName } from '../../../src/core/ops/index.ts';
import { builtinFor, runBuiltin } from '../../../src/engine/bench/baselines.ts';
import {
  fromChannelsLast,
  fromDepthwiseFilter,
  fromFilter,
  toChannelsLast,
  toDepthwiseFilter,
  toFilter,
} from '../../../src/engine/bench/tfjsLayout.ts';
import { evaluateNetwork } from '../../../src/engine/evaluate.ts';
import { selectNodeBackend } from '../../../src/engine/node.ts';
import { randomTensor } from '../../helpers/random.ts';

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

const OPS: OpName[] = [
  'conv_forward',
  'conv_input_jvp',
  'conv_weight_jvp',
  'conv_input_vjp',
  'conv_weight_vjp',
  'kfc',
  'kfac_reduce',
];

/** One layer per branch of the baselines (and the skips). */
const layers: [string, LayerConfig][] = [
  ['2-d', base],
  ['2-d grouped', { ...base, groups: 2 }],
  ['2-d depthwise', { ...base, outChannels: 4, groups: 4 }],
  ['2-d depthwise ×2', { ...base, outChannels: 8, groups: 4 }],
  ['2-d dilated', { ...base, stride: [1, 1], dilation: [2, 3], padding: [2, 1] }],
  ['1-d dilated', { ...base, input: [20], kernel: [2], stride: [1], padding: [0], dilation: [4] }],
  ['1-d strided', { ...base, input: [20], kernel: [3], stride: [2], padding: [1], dilation: [1] }],
  [
    '3-d same',
    {
      ...base,
      input: [4, 5, 5],
      kernel: [3, 3, 3],
      stride: [1, 1, 1],
      padding: [1, 1, 1],
      dilation: [1, 1, 1],
    },
  ],
  [
    '3-d strided',
    {
      ...base,
      input: [5, 6, 5],
      kernel: [2, 3, 1],
      stride: [2, 1, 2],
      padding: [0, 1, 0],
      dilation: [1, 1, 1],
    },
  ],
];

describe('built-in baselines: PyTorch-layout inputs to the PyTorch-layout result (tfjs-backend-cpu)', () => {
  it.each(layers)('%s agrees with the engine', async (_name, layer) => {
    const skipped: string[] = [];
    for (const op of OPS) {
      const input = layerOpInput(op, layer);
      const net = getOperation(op).build(input);
      const host = Object.fromEntries(
        Object.entries(input.shapes).map(([k, s], j) => [k, randomTensor(s, j + 3)]),
      );
      const { result } = await evaluateNetwork(net, host);
      const choice = builtinFor(op, layer);
      if ('skip' in choice) {
        skipped.push(`${op}: ${choice.skip}`);
        continue;
      }
      const torch = Object.fromEntries(
        Object.entries(host).map(([k, t]) => [k, tf.tensor(Float32Array.from(t.data), t.shape)]),
      );
      const before = tf.memory().numTensors;
      const bytesBefore = tf.memory().numBytes;
      // The one timed call: conversions in and out are part of it.
      let out!: tf.Tensor;
      const profile = await tf.profile(() => (out = runBuiltin(choice.builtin, torch)));
      // The memory budget's estimate of the built-in follows what it holds (within 2×).
      const peak = profile.peakBytes - bytesBefore;
      const estimate = choice.builtin.estimatedBytes!;
      expect(estimate / peak, `${op}: estimated ${estimate} B, measured ${peak} B`).toBeGreaterThan(
        0.5,
      );
      expect(estimate / peak, `${op}: estimated ${estimate} B, measured ${peak} B`).toBeLessThan(2);
      expect(out.shape, op).toEqual(net.resultShape);
      expect(tf.memory().numTensors - before, `${op} keeps intermediates`).toBe(1);
      const got = await out.data();
      let err = 0;
      let scale = 0;
      result.data.forEach((v, j) => {
        err = Math.max(err, Math.abs(v - got[j]));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(err / scale, `${op} (${choice.builtin.name})`).toBeLessThan(1e-5);
      tf.dispose([...Object.values(torch), out]);
    }
    // Only tfjs's documented gaps are skipped: dilated VJPs.
    for (const s of skipped) expect(s).toMatch(/dilation/);
    if (layer.dilation.every((d) => d === 1)) expect(skipped).toEqual([]);
  });

  it('names the JVPs as the forward built-in on the tangent, and skips ops tfjs lacks', () => {
    const jvp = builtinFor('conv_input_jvp', base);
    expect('builtin' in jvp && jvp.builtin.name).toBe('tf.conv2d on the input tangent');
    expect(builtinFor('unfold', base)).toEqual({ skip: 'tfjs has no built-in for unfold' });
  });
});

describe('layout conversions between PyTorch and tfjs', () => {
  const iota = (shape: number[]) =>
    tf.tensor(
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => j),
      shape,
    );

  it('moves channels last and back: x[n, c, h, w] = y[n, h, w, c]', async () => {
    const x = iota([2, 3, 4, 5]);
    const y = toChannelsLast(x);
    expect(y.shape).toEqual([2, 4, 5, 3]);
    const xv = (await x.array()) as number[][][][];
    const yv = (await y.array()) as number[][][][];
    expect(yv[1][2][3][0]).toBe(xv[1][0][2][3]);
    expect(yv[0][3][1][2]).toBe(xv[0][2][3][1]);
    expect(await fromChannelsLast(y).data()).toEqual(await x.data());
    tf.dispose([x, y]);
  });

  it('turns a weight into a filter [*K, C_in, C_out] and back', async () => {
    const w = iota([6, 4, 3, 2]);
    const f = toFilter(w);
    expect(f.shape).toEqual([3, 2, 4, 6]);
    const wv = (await w.array()) as number[][][][];
    const fv = (await f.array()) as number[][][][];
    expect(fv[2][1][3][5]).toBe(wv[5][3][2][1]);
    expect(await fromFilter(f).data()).toEqual(await w.data());
    tf.dispose([w, f]);
  });

  it('turns a depthwise weight [C·m, 1, *K] into [*K, C, m] and back', async () => {
    const w = iota([8, 1, 3, 2]);
    const f = toDepthwiseFilter(w, 4);
    expect(f.shape).toEqual([3, 2, 4, 2]);
    const wv = (await w.array()) as number[][][][];
    const fv = (await f.array()) as number[][][][];
    // Output channel c·m + j of PyTorch is channel c, multiplier j of tfjs.
    expect(fv[1][0][3][1]).toBe(wv[3 * 2 + 1][0][1][0]);
    expect(await fromDepthwiseFilter(f).data()).toEqual(await w.data());
    tf.dispose([w, f]);
  });
});
