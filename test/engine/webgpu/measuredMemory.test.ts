import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayerNetwork, layerOpInput, type LayerConfig } from '../../../src/core/layer.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { builtinFor } from '../../../src/engine/bench/baselines.ts';
import { builtinSide, measureSides, networkSide } from '../../../src/engine/bench/sides.ts';
import { compileNetwork } from '../../../src/engine/evaluate.ts';
import { sizeOf } from '../../../src/engine/program.ts';
import { useNodeWebGPU } from '../../helpers/webgpu.ts';

/**
 * The peak extra memory the benchmark reports for the generated kernels, measured on Dawn
 * (not read off the program): nothing beyond inputs and result for forward, JVPs and VJPs,
 * only the two x·Π̄ for KFAC-reduce — and the built-in's layout copies are counted, so the
 * measurement sees allocations where there are some.
 */
beforeAll(useNodeWebGPU);

const layer: LayerConfig = {
  batch: 2,
  inChannels: 4,
  outChannels: 8,
  input: [10, 9],
  kernel: [3, 3],
  stride: [2, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

const OPS = [
  'conv_forward',
  'conv_input_jvp',
  'conv_weight_jvp',
  'conv_input_vjp',
  'conv_weight_vjp',
  'kfc',
  'kfac_reduce',
] as const;

describe('measured peak extra memory on WebGPU (Dawn)', () => {
  it.each(OPS)('%s', async (op) => {
    const net = simplify(buildLayerNetwork(op, layer)).network;
    const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
    const { program } = compileNetwork(net, shapes, { kernels: true });
    expect(program.kernelFallback).toBeUndefined();
    const inputs = Object.fromEntries(
      Object.entries(shapes).map(([k, s]) => [k, tf.randomNormal(s)]),
    );
    const choice = builtinFor(op, layer);
    if (!('builtin' in choice)) throw new Error(choice.skip);
    const [tn, builtin] = await measureSides(
      [networkSide('tn', program, inputs), builtinSide(choice.builtin, inputs)],
      {
        runs: 1,
        warmup: 0,
        maxRunMs: Infinity,
      },
    );
    const resultBytes = 4 * sizeOf(net.resultShape);
    expect(tn.measurement!.peakBytes, 'the result at least').toBeGreaterThanOrEqual(resultBytes);
    if (op === 'kfac_reduce') {
      const pbar = 4 * layer.batch * layer.inChannels * sizeOf(layer.kernel);
      expect(tn.measurement!.extraBytes).toBeLessThanOrEqual(2 * pbar);
      expect(tn.measurement!.extraBytes).toBeGreaterThan(0);
    } else {
      expect(tn.measurement!.extraBytes).toBe(0);
    }
    // The built-in converts layouts (channels last), so its extra memory is seen.
    expect(builtin.measurement!.extraBytes).toBeGreaterThan(0);
    tf.dispose(Object.values(inputs));
  });
});
