import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { planNetwork } from '../../../src/core/planner/index.ts';
import { compileNetwork, inputShapes } from '../../../src/engine/evaluate.ts';
import { Executable } from '../../../src/engine/execute.ts';
import {
  buildLayerNetwork,
  layerOpInput,
  layerOutputSize,
  type LayerConfig,
} from '../../../src/core/layer.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { randomNetwork, randomPath } from '../randomNetwork.ts';
import { randomTensor, rng } from '../../helpers/random.ts';
import { useNodeWebGPU, withDeviceErrors } from '../../helpers/webgpu.ts';

beforeAll(async () => {
  await useNodeWebGPU();
});

function validGeometry(layer: LayerConfig): boolean {
  try {
    return layerOutputSize(layer).every((o) => o >= 1);
  } catch {
    return false;
  }
}

function relative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let j = 0; j < b.length; j++) scale = Math.max(scale, Math.abs(b[j]));
  for (let j = 0; j < b.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
  return worst / (scale || 1);
}

const SEEDS = Array.from({ length: 60 }, (_, j) => j + 1);

describe('generated kernels vs the float64 reference on random networks', () => {
  it('agree on random geometries (patterns with 2 or 3 roles, thinned legs, shared o, deltas, diagonals, slices, selects)', async () => {
    const failures: string[] = [];
    const kinds = new Set<string>();
    const variants = new Set<string>();
    for (const seed of SEEDS) {
      const { net, inputs } = randomNetwork(seed);
      const expected = evaluateReference(net, inputs);
      for (const [what, path, kernelChoice] of [
        ['planner', planNetwork(net).path, 'auto'],
        [
          'random path, tiled wherever possible',
          randomPath(net.tensors.length, seed * 7 + 1),
          'tiled',
        ],
      ] as const) {
        const plan = { ...planNetwork(net), path: path.map((g) => [...g]) };
        const { program } = compileNetwork(net, inputShapes(inputs), { plan, kernelChoice });
        if (program.kernelFallback) {
          failures.push(`seed ${seed} ${what}: fell back (${program.kernelFallback})`);
          continue;
        }
        for (const i of program.instrs) {
          if (i.op !== 'kernel') continue;
          kinds.add(i.kernel.kind);
          // The direct kernel's variants, read off its source: blocks of result entries,
          // a block cut short at the end of its leg, a leg computed per entry of a block.
          const src = i.kernel.source;
          if (/_blk/.test(src)) variants.add('blocked');
          if (/_r\d+ >= \d+\) \{ break; \}/.test(src)) variants.add('blocked tail');
          if (/let l\d+_r\d+_p/.test(src)) variants.add('blocked derivation');
          if (i.kernel.kind === 'direct' && !/_blk/.test(src)) variants.add('one entry');
        }
        const exe = new Executable(program);
        const before = tf.memory().numTensors;
        const result = await withDeviceErrors(() => exe.runToHost(inputs));
        exe.dispose();
        const leaked = tf.memory().numTensors - (before - program.constants.length);
        const err = relative(result.data, expected.data);
        if (!(err < 1e-5) || leaked !== 0)
          failures.push(`seed ${seed} ${what}: rel. error ${err}, ${leaked} tensors leaked`);
      }
    }
    expect(failures).toEqual([]);
    // Both generators are exercised (a test of one kind only could not catch the other's bugs).
    expect([...kinds].sort()).toEqual(['direct', 'tiled']);
    expect([...variants].sort()).toEqual([
      'blocked',
      'blocked derivation',
      'blocked tail',
      'one entry',
    ]);
  }, 600_000);

  it('agree on convolutions of random geometry (depthwise and grouped, N = 1–3), whose direct kernels select their terms without branches', async () => {
    const next = rng(2024);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const failures: string[] = [];
    let branchless = 0;
    for (let trial = 0; trial < 24; trial++) {
      const dims = 1 + (trial % 3);
      const channels = pick([2, 3, 4]);
      const groups = pick([1, channels]);
      const layer: LayerConfig = {
        batch: pick([1, 2]),
        inChannels: channels,
        outChannels: groups === 1 ? pick([2, 3]) : channels * pick([1, 2]),
        input: Array.from({ length: dims }, () => pick([5, 6, 7, 9])),
        kernel: Array.from({ length: dims }, () => pick([1, 2, 3])),
        stride: Array.from({ length: dims }, () => pick([1, 1, 2])),
        padding: Array.from({ length: dims }, () => pick([0, 1, 2])),
        dilation: Array.from({ length: dims }, () => pick([1, 1, 2])),
        groups,
        outputPadding: Array.from({ length: dims }, () => 0),
      };
      if (layerOutputSize(layer).some((o) => o < 1)) continue;
      for (const op of [
        'conv_forward',
        'conv_input_vjp',
        'conv_weight_vjp',
        'kfac_reduce',
      ] as const) {
        const net = simplify(buildLayerNetwork(op, layer)).network;
        const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
        const inputs = Object.fromEntries(
          Object.entries(shapes).map(([k, sh], j) => [k, randomTensor(sh, trial * 10 + j)]),
        );
        const { program } = compileNetwork(net, shapes);
        if (program.kernelFallback) {
          failures.push(`${op} ${JSON.stringify(layer)}: fell back (${program.kernelFallback})`);
          continue;
        }
        for (const i of program.instrs)
          if (i.op === 'kernel' && /select\(0\.0, /.test(i.kernel.source)) branchless++;
        const exe = new Executable(program);
        const result = await withDeviceErrors(() => exe.runToHost(inputs));
        exe.dispose();
        const err = relative(result.data, evaluateReference(net, inputs).data);
        if (!(err < 1e-5)) failures.push(`${op} ${JSON.stringify(layer)}: rel. error ${err}`);
      }
    }
    expect(failures).toEqual([]);
    expect(branchless).toBeGreaterThan(0);
  }, 600_000);
  it('agree on strided input VJPs and transpose convolutions split by phase (strides 2 and 3, dilation, padding, groups, N = 1–3, phases with no tap)', async () => {
    const next = rng(31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const failures: string[] = [];
    // What the phase form met, so that a test of easy geometries only cannot pass for it.
    const seen = new Set<string>();
    for (let trial = 0; trial < 30; trial++) {
      const dims = trial % 7 === 6 ? 3 : 1 + (trial % 2);
      const channels = pick([2, 4]);
      const groups = pick([1, 2, channels]);
      const stride = Array.from({ length: dims }, () => pick([2, 3]));
      const dilation = Array.from({ length: dims }, () => pick([1, 2, 3]));
      const layer: LayerConfig = {
        batch: pick([1, 2]),
        inChannels: channels,
        outChannels: groups === 1 ? pick([2, 3]) : groups * pick([1, 2]),
        input: Array.from({ length: dims }, () => pick([5, 7, 8, 11])),
        kernel: Array.from({ length: dims }, () => pick([1, 2, 3])),
        stride,
        padding: Array.from({ length: dims }, () => pick([0, 1, 2])),
        dilation,
        groups,
        // Output padding adds trailing positions that fewer taps reach (transpose convolution).
        outputPadding: stride.map((s, d) => Math.min(pick([0, 1]), Math.max(s, dilation[d]) - 1)),
      };
      // A dilated kernel wider than the padded input is no convolution: drawn again.
      if (!validGeometry(layer)) continue;
      for (const op of ['conv_input_vjp', 'conv_transpose_forward'] as const) {
        const net = simplify(buildLayerNetwork(op, layer)).network;
        const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
        const inputs = Object.fromEntries(
          Object.entries(shapes).map(([k, sh], j) => [k, randomTensor(sh, trial * 10 + j)]),
        );
        const expected = evaluateReference(net, inputs);
        for (const kernelChoice of ['auto', 'tiled'] as const) {
          const { program } = compileNetwork(net, shapes, { kernelChoice });
          if (program.kernelFallback) {
            failures.push(`${op} ${JSON.stringify(layer)}: fell back (${program.kernelFallback})`);
            continue;
          }
          for (const i of program.instrs) {
            if (i.op === 'kernel' && / % [23] != 0/.test(i.kernel.source))
              seen.add('a divisibility test left');
            if (i.op !== 'phased') continue;
            seen.add('phased');
            if (i.zeroFill) seen.add('a phase with no tap');
            for (const ph of i.phases) {
              seen.add(`${ph.kernel.kind} phase`);
              if (ph.spec.patterns.some((q) => q.params.padLeft < 0)) seen.add('a cropped phase');
            }
            if (i.spec.patterns.some((q) => q.params.stride === 3)) seen.add('stride 3');
            if (i.spec.patterns.some((q) => q.params.dilation > 1)) seen.add('dilation');
            seen.add(`${dims}D`);
            if (groups > 1) seen.add(groups === channels ? 'depthwise' : 'grouped');
          }
          const exe = new Executable(program);
          const result = await withDeviceErrors(() => exe.runToHost(inputs));
          exe.dispose();
          const err = relative(result.data, expected.data);
          if (!(err < 1e-5))
            failures.push(`${op} ${kernelChoice} ${JSON.stringify(layer)}: rel. error ${err}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(
      [
        '1D',
        '2D',
        '3D',
        'a cropped phase',
        'a phase with no tap',
        'depthwise',
        'direct phase',
        'dilation',
        'grouped',
        'phased',
        'stride 3',
        'tiled phase',
      ].sort(),
    );
  }, 600_000);
});
