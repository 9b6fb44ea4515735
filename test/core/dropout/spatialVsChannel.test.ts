import { describe, expect, it } from 'vitest';
import { randomTensorDropout, sampleKept, keptCount } from '../../../src/core/dropout/index.ts';
import { getOperation } from '../../../src/core/ops/index.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import type { Inputs } from '../../../src/core/tensor.ts';
import { randomValues, relativeFrobeniusError } from '../../../src/engine/bench/index.ts';
import { smoothValues } from '../../../src/engine/bench/smooth.ts';

/**
 * The paper's randomised-backpropagation finding, checked in float64: for the weight VJP,
 * sampling spatial positions (the summed o₁) gives a smaller error than sampling channels
 * (c_in of x, an open leg: dropped rows of the gradient are zero, kept ones scaled by
 * C/m) at the same kept fraction of multiply-adds — on spatially correlated inputs. On
 * independent inputs the two are the same, about √((1−p)/p): the advantage comes from the
 * data, not from the estimator. Mean over four draws; these numbers are the tutorial's.
 */

const [N, C, CO, H, K] = [4, 8, 8, 16, 3];
const shapes = { x: [N, C, H, H], v: [N, CO, H, H] };
const net = getOperation('conv_weight_vjp').build({ kernel_size: K, padding: 1, shapes });
const DRAWS = [1, 2, 3, 4];

type Make = (shape: readonly number[], seed: number) => Float32Array;
const inputsOf = (make: Make, seed: number): Inputs => ({
  x: { shape: shapes.x, data: Float64Array.from(make(shapes.x, seed)) },
  v: { shape: shapes.v, data: Float64Array.from(make(shapes.v, seed + 1)) },
});
const uniform: Make = (shape, seed) =>
  randomValues(
    shape.reduce((p, q) => p * q, 1),
    seed,
  );

/** Channel sampling of x: the gradient [c_out, c_in, k1, k2] with m of C rows kept, scaled. */
function channelEstimate(exact: Float64Array, keep: number, seed: number): Float64Array {
  const kept = new Set(sampleKept(C, keptCount(C, keep), seed));
  const scale = C / kept.size;
  return exact.map((g, j) => (kept.has(Math.floor(j / (K * K)) % C) ? g * scale : 0));
}

function meanErrors(make: Make, keep: number): { spatial: number; channel: number } {
  let spatial = 0;
  let channel = 0;
  for (const draw of DRAWS) {
    const inputs = inputsOf(make, 10 * draw);
    const exact = Float64Array.from(evaluateReference(net, inputs).data);
    const dropped = randomTensorDropout(net, 'o1', keep, draw).network;
    spatial += relativeFrobeniusError(evaluateReference(dropped, inputs).data, exact);
    channel += relativeFrobeniusError(channelEstimate(exact, keep, draw), exact);
  }
  return { spatial: spatial / DRAWS.length, channel: channel / DRAWS.length };
}

describe('randomised weight VJP: spatial vs channel sampling at equal cost', () => {
  it.each([0.25, 0.5, 0.75])(
    'keep %f: on smooth inputs spatial sampling has less than half the channel error',
    (keep) => {
      const { spatial, channel } = meanErrors(smoothValues, keep);
      expect(spatial).toBeLessThan(0.5 * channel);
      // Channel sampling's expected squared error is (1−p)/p·‖G‖² whatever the data.
      expect(channel).toBeGreaterThan(0.8 * Math.sqrt((1 - keep) / keep));
    },
  );

  it.each([0.25, 0.5, 0.75])(
    'keep %f: on independent uniform inputs the two errors agree within 15 %',
    (keep) => {
      const { spatial, channel } = meanErrors(uniform, keep);
      expect(Math.abs(spatial - channel)).toBeLessThan(0.15 * channel);
    },
  );

  it('the kept fraction of multiply-adds is the keep fraction for both', () => {
    for (const keep of [0.25, 0.5, 0.75]) {
      expect(keptCount(H, keep) / H).toBe(keep);
      expect(keptCount(C, keep) / C).toBe(keep);
    }
  });
});

describe('the numbers tutorials/randomised-backpropagation.md states', () => {
  // Its run cells: input seed 10 (x: 10, v: 11, the run service's order), dropout seed 1.
  const single = (make: Make, index: string) =>
    [0.25, 0.5, 0.75].map((keep) => {
      const inputs = inputsOf(make, 10);
      const exact = evaluateReference(net, inputs).data;
      const dropped = randomTensorDropout(net, index, keep, 1).network;
      return +relativeFrobeniusError(evaluateReference(dropped, inputs).data, exact).toFixed(2);
    });

  it('single draws with seed 10', () => {
    expect(single(smoothValues, 'o1')).toEqual([0.49, 0.58, 0.35]);
    expect(single(smoothValues, 'n')).toEqual([1.93, 0.97, 0.57]);
    expect(single(uniform, 'o1')).toEqual([1.92, 0.96, 0.55]);
    expect(single(uniform, 'n')).toEqual([1.72, 0.95, 0.54]);
  });

  it('means over four draws (its table)', () => {
    const table = [0.25, 0.5, 0.75].map((keep) => {
      const { spatial, channel } = meanErrors(smoothValues, keep);
      return [+spatial.toFixed(2), +channel.toFixed(2)];
    });
    expect(table).toEqual([
      [0.57, 1.94],
      [0.38, 1],
      [0.26, 0.57],
    ]);
  });
});
