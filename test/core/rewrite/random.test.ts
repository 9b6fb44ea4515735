import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vjp } from '../../../src/core/diff/index.ts';
import { EinsketchError } from '../../../src/core/errors.ts';
import { layerOpInput, type LayerConfig } from '../../../src/core/layer.ts';
import type { Network } from '../../../src/core/network.ts';
import { OP_NAMES, getOperation, type OpName } from '../../../src/core/ops/index.ts';
import type { Inputs } from '../../../src/core/tensor.ts';
import { randomTensor } from '../../helpers/random.ts';
import { checkRewrites } from './helpers.ts';

/**
 * Random layers for every operation, biased towards the geometries the Π rules act on:
 * dense (K = S, P = 0, D = 1, I a multiple of K), down-sampling (S > K, P = 0, D = 1, I a
 * multiple of S) and general ones. Sizes stay small so the reference evaluator is quick.
 */
const dimension = fc.oneof(
  fc
    .record({
      kind: fc.constant('dense'),
      kernel: fc.integer({ min: 1, max: 3 }),
      multiple: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ kernel, multiple }) => ({
      kernel,
      stride: kernel,
      dilation: 1,
      padding: 0,
      input: kernel * multiple,
    })),
  fc
    .record({
      kernel: fc.integer({ min: 1, max: 2 }),
      extra: fc.integer({ min: 1, max: 2 }),
      multiple: fc.integer({ min: 1, max: 2 }),
    })
    .map(({ kernel, extra, multiple }) => ({
      kernel,
      stride: kernel + extra,
      dilation: 1,
      padding: 0,
      input: (kernel + extra) * multiple,
    })),
  fc.record({
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.integer({ min: 0, max: 1 }),
    input: fc.integer({ min: 1, max: 7 }),
  }),
);

const layerArb = fc.record({
  op: fc.constantFrom(...OP_NAMES),
  dims: fc.array(dimension, { minLength: 1, maxLength: 2 }),
  batch: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 2 }),
  inPerGroup: fc.integer({ min: 1, max: 2 }),
  outPerGroup: fc.integer({ min: 1, max: 2 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

type Sample = typeof layerArb extends fc.Arbitrary<infer T> ? T : never;

function build(sample: Sample): { net: Network; inputs: Inputs } | null {
  const layer: LayerConfig = {
    batch: sample.batch,
    inChannels: sample.groups * sample.inPerGroup,
    outChannels: sample.groups * sample.outPerGroup,
    input: sample.dims.map((d) => d.input),
    kernel: sample.dims.map((d) => d.kernel),
    stride: sample.dims.map((d) => d.stride),
    padding: sample.dims.map((d) => d.padding),
    dilation: sample.dims.map((d) => d.dilation),
    groups: sample.groups,
    outputPadding: sample.dims.map(() => 0),
  };
  try {
    const input = layerOpInput(sample.op as OpName, layer);
    const net = getOperation(sample.op).build(input);
    const inputs: Inputs = {};
    Object.entries(input.shapes).forEach(([name, shape], j) => {
      inputs[name] = randomTensor(shape, sample.seed + j);
    });
    return { net, inputs };
  } catch (err) {
    if (err instanceof EinsketchError) return null;
    throw err;
  }
}

describe('random layers of every operation keep their value under every rewrite', () => {
  it('holds for the operation itself', () => {
    fc.assert(
      fc.property(layerArb, (sample) => {
        const built = build(sample);
        fc.pre(built !== null);
        const { net, inputs } = built!;
        const { worst, simplified } = checkRewrites(net, inputs);
        expect(worst).toBeLessThan(1e-12);
        const allDense = sample.dims.every(
          (d) => d.stride === d.kernel && d.padding === 0 && d.dilation === 1,
        );
        if (sample.op === 'conv_forward' && allDense) {
          expect(
            simplified.tensors.filter((t) => t.kind === 'index_pattern' || t.kind === 'delta'),
          ).toEqual([]);
        }
      }),
      { seed: 20240705, numRuns: 40 },
    );
    // Nineteen operations, some with two copies of the weight VJP: seconds on a busy machine.
  }, 60_000);

  it('holds for the VJPs derived from the operation', () => {
    fc.assert(
      fc.property(layerArb, (sample) => {
        const built = build(sample);
        fc.pre(built !== null);
        const { net, inputs } = built!;
        const source = Object.keys(inputs)[0];
        const v = randomTensor(net.resultShape, sample.seed + 99);
        for (const term of vjp(net, source, 'cotangent').terms) {
          expect(checkRewrites(term.network, { ...inputs, cotangent: v }).worst).toBeLessThan(
            1e-12,
          );
        }
      }),
      { seed: 7, numRuns: 20 },
    );
  }, 60_000);
});
