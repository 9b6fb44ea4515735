import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { getOperation } from '../../src/core/ops/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import { describeBackend, selectBackend } from '../../src/engine/backend.ts';
import { evaluateNetwork } from '../../src/engine/evaluate.ts';
import { nodeWasmDirectory, selectNodeBackend } from '../../src/engine/node.ts';
import { randomTensor } from '../helpers/random.ts';

afterAll(async () => {
  await selectNodeBackend(['cpu']);
});

describe('backend selection in Node', () => {
  it('passes over webgpu and webgl with their reasons and lands on wasm', async () => {
    const choice = await selectBackend({ wasmPaths: nodeWasmDirectory() });
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect(choice.fallbacks[0].reason).toBe('navigator.gpu missing');
    expect(choice.fallbacks[1].reason).toMatch(/not a browser|WebGL/);
    expect(describeBackend(choice)).toMatch(/^wasm \(webgpu: navigator\.gpu missing; webgl: /);
  });

  it('runs a convolution on wasm that agrees with the reference', async () => {
    await selectBackend({ order: ['wasm'], wasmPaths: nodeWasmDirectory() });
    const net = getOperation('conv_forward').build({
      shapes: { x: [2, 4, 9, 9], weight: [6, 2, 3, 3] },
      groups: 2,
      stride: 2,
      padding: 1,
    });
    const inputs = { x: randomTensor([2, 4, 9, 9], 1), weight: randomTensor([6, 2, 3, 3], 2) };
    const { result } = await evaluateNetwork(net, inputs);
    const expected = evaluateReference(net, inputs);
    let err = 0;
    expected.data.forEach((v, j) => (err = Math.max(err, Math.abs(v - result.data[j]))));
    expect(err).toBeLessThan(1e-4);
  });

  it('without wasm binaries falls back to cpu and says why', async () => {
    const choice = await selectBackend({ order: ['webgpu', 'wasm', 'cpu'] });
    expect(choice.name).toBe('cpu');
    expect(choice.fallbacks).toEqual([
      { backend: 'webgpu', reason: 'navigator.gpu missing' },
      { backend: 'wasm', reason: 'no location given for the .wasm binaries' },
    ]);
  });

  it('names every reason when nothing works', async () => {
    await expect(selectBackend({ order: ['webgpu', 'webgl'] })).rejects.toThrow(
      /no tfjs backend available: webgpu: navigator.gpu missing; webgl: /,
    );
  });
});
