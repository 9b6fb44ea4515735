import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareRequest } from '../../../src/core/runRequest.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { compileNetwork, inputShapes } from '../../../src/engine/evaluate.ts';
import { Executable } from '../../../src/engine/execute.ts';
import { loadFixtures, relativeError } from '../../helpers/fixtures.ts';
import { useNodeWebGPU } from '../../helpers/webgpu.ts';

beforeAll(async () => {
  await useNodeWebGPU();
});

describe('generated WebGPU kernels on every PyTorch fixture', () => {
  for (const simplified of [true, false]) {
    it(`match PyTorch within 1e-4 relative (${simplified ? 'simplified' : 'as built'})`, async () => {
      const failures: string[] = [];
      const fallbacks: string[] = [];
      for (const c of loadFixtures()) {
        const { network: built, inputs } = prepareRequest(c.request);
        const net = simplified ? simplify(built).network : built;
        const { program } = compileNetwork(net, inputShapes(inputs));
        if (program.kernelFallback) fallbacks.push(`${c.id}: ${program.kernelFallback}`);
        const exe = new Executable(program);
        const before = tf.memory().numTensors;
        const { data } = await exe.runToHost(inputs);
        exe.dispose();
        expect(tf.memory().numTensors).toBe(before - program.constants.length);
        const err = relativeError(data, c.expected.data);
        if (!(err <= 1e-4)) failures.push(`${c.id}: ${err}`);
      }
      expect(fallbacks).toEqual([]);
      expect(failures).toEqual([]);
    }, 300_000);
  }
});
