import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { planNetwork, sequentialPath } from '../../src/core/planner/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import { evaluateNetwork } from '../../src/engine/evaluate.ts';
import { selectNodeBackend } from '../../src/engine/node.ts';
import { randomNetwork, randomPath } from './randomNetwork.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

function scaleOf(data: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < data.length; j++) m = Math.max(m, Math.abs(data[j]));
  return m || 1;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
}

const SEEDS = Array.from({ length: 300 }, (_, j) => j + 1);

describe('engine vs the float64 reference on random networks', () => {
  it('agrees along the planner path, operand order and random paths, leaking no tensor', async () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const { net, inputs } = randomNetwork(seed);
      const expected = evaluateReference(net, inputs);
      const paths: [string, number[][] | undefined][] = [
        ['planner', undefined],
        ['sequential', sequentialPath(net.tensors.length)],
        ['random', randomPath(net.tensors.length, seed * 7 + 1)],
      ];
      for (const [what, path] of paths) {
        const before = tf.memory().numTensors;
        const plan = path ? { ...planNetwork(net), path } : undefined;
        const { result } = await evaluateNetwork(net, inputs, plan ? { plan } : {});
        const leaked = tf.memory().numTensors - before;
        expect(result.shape).toEqual(net.resultShape);
        const err = maxDiff(result.data, expected.data) / scaleOf(expected.data);
        if (!(err < 1e-5) || leaked !== 0)
          failures.push(`seed ${seed} ${what}: rel. error ${err}, ${leaked} tensors leaked`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
