import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { planNetwork } from '../../../src/core/planner/index.ts';
import { compileNetwork, inputShapes } from '../../../src/engine/evaluate.ts';
import { Executable } from '../../../src/engine/execute.ts';
import { randomNetwork, randomPath } from '../randomNetwork.ts';
import { useNodeWebGPU, withDeviceErrors } from '../../helpers/webgpu.ts';

beforeAll(async () => {
  await useNodeWebGPU();
});

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
    for (const seed of SEEDS) {
      const { net, inputs } = randomNetwork(seed);
      const expected = evaluateReference(net, inputs);
      for (const [what, path, kernelChoice] of [
        ['planner', planNetwork(net).path, 'auto'],
        ['random path, tiled wherever possible', randomPath(net.tensors.length, seed * 7 + 1), 'tiled'],
      ] as const) {
        const plan = { ...planNetwork(net), path: path.map((g) => [...g]) };
        const { program } = compileNetwork(net, inputShapes(inputs), { plan, kernelChoice });
        if (program.kernelFallback) {
          failures.push(`seed ${seed} ${what}: fell back (${program.kernelFallback})`);
          continue;
        }
        for (const i of program.instrs) if (i.op === 'kernel') kinds.add(i.kernel.kind);
        const exe = new Executable(program);
        const before = tf.memory().numTensors;
        const result = await withDeviceErrors(() => exe.runToHost(inputs));
        exe.dispose();
        const leaked = tf.memory().numTensors - (before - program.constants.length);
        const err = relative(result.data, expected.data);
        if (!(err < 1e-5) || leaked !== 0) failures.push(`seed ${seed} ${what}: rel. error ${err}, ${leaked} tensors leaked`);
      }
    }
    expect(failures).toEqual([]);
    // Both generators are exercised (a test of one kind only could not catch the other's bugs).
    expect([...kinds].sort()).toEqual(['direct', 'tiled']);
  }, 600_000);
});
