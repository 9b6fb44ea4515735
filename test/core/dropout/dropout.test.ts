import { describe, expect, it } from 'vitest';
import {
  dropoutCost,
  dropoutStep,
  keptCount,
  randomTensorDropout,
  sampleKept,
  seededUniform,
  tensorDropout,
} from '../../../src/core/dropout/index.ts';
import type { DataTensor, IndexPatternTensor, Network } from '../../../src/core/network.ts';
import { getOperation } from '../../../src/core/ops/index.ts';
import { derivative } from '../../../src/core/diff/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import type { Inputs } from '../../../src/core/tensor.ts';
import { randomTensor } from '../../helpers/random.ts';
import { evaluate } from '../rewrite/evaluateFast.ts';

/** All subsets of 0..n−1 of size m, in lexicographic order. */
function subsets(n: number, m: number): number[][] {
  if (m === 0) return [[]];
  if (n < m) return [];
  return [...subsets(n - 1, m - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, m)];
}

function mean(values: Float64Array[]): Float64Array {
  const out = new Float64Array(values[0].length);
  for (const v of values) for (let j = 0; j < out.length; j++) out[j] += v[j] / values.length;
  return out;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]));
  return m;
}

// Weight VJP of a 1-d convolution: x [2, 2, 7], kernel 3, padding 1, stride 1 → O = 7.
const weightInput = { kernel_size: 3, padding: 1, shapes: { x: [2, 2, 7], v: [2, 3, 7] } };
const weightVjp = getOperation('conv_weight_vjp').build(weightInput);
const weightInputs: Inputs = { x: randomTensor([2, 2, 7], 1), v: randomTensor([2, 3, 7], 2) };
const exactWeight = evaluate(weightVjp, weightInputs).data;

// Input VJP with 4 output channels: channel dropout thins the summed c_out.
const inputVjp = getOperation('conv_input_vjp').build({
  stride: 2,
  input_size: 6,
  shapes: { v: [1, 4, 3], weight: [4, 2, 2] },
});
const inputInputs: Inputs = { v: randomTensor([1, 4, 3], 3), weight: randomTensor([4, 2, 2], 4) };
const exactInput = evaluate(inputVjp, inputInputs).data;

describe('tensor dropout is unbiased', () => {
  it.each([
    ['spatial o1 of the weight VJP (on Π₁ and V)', weightVjp, weightInputs, exactWeight, 'o1', 3],
    ['spatial i1 of the weight VJP (on x and Π₁)', weightVjp, weightInputs, exactWeight, 'i1', 4],
    ['batch n of the weight VJP (on x and V)', weightVjp, weightInputs, exactWeight, 'n', 1],
    ['channel c_out of the input VJP (on V and W)', inputVjp, inputInputs, exactInput, 'c_out', 2],
  ] as const)(
    '%s: the mean over every subset of the kept size is the exact value',
    (_what, net, inputs, exact, index, m) => {
      const all = subsets(net.sizes[index], m);
      const estimates = all.map((keep) => evaluate(tensorDropout(net, index, keep), inputs).data);
      const avg = mean(estimates);
      const scale = maxAbs(exact);
      for (let j = 0; j < exact.length; j++)
        expect(Math.abs(avg[j] - exact[j])).toBeLessThan(1e-12 * scale);
      // …while single estimates really differ from it.
      expect(maxAbs(estimates[0].map((e, j) => e - exact[j]))).toBeGreaterThan(1e-3 * scale);
    },
  );

  it('with seeded samples, the mean over 400 seeds is within 5 standard errors of the exact weight VJP', () => {
    // Seeds 1..400 are fixed, so this statistical check is deterministic (it cannot flake);
    // 5 standard errors per entry would be exceeded by chance with probability < 1e-6 each.
    const seeds = Array.from({ length: 400 }, (_, s) => s + 1);
    const estimates = seeds.map(
      (seed) =>
        evaluate(randomTensorDropout(weightVjp, 'o1', 0.5, seed).network, weightInputs).data,
    );
    const avg = mean(estimates);
    let worstInErrors = 0;
    for (let j = 0; j < exactWeight.length; j++) {
      let variance = 0;
      for (const e of estimates) variance += (e[j] - avg[j]) ** 2 / (estimates.length - 1);
      const standardError = Math.sqrt(variance / estimates.length);
      expect(Math.abs(avg[j] - exactWeight[j])).toBeLessThanOrEqual(5 * standardError + 1e-12);
      worstInErrors = Math.max(
        worstInErrors,
        Math.abs(avg[j] - exactWeight[j]) / (standardError || 1),
      );
    }
    expect(worstInErrors).toBeGreaterThan(0);
  });

  it('composes: thinning a thinned index keeps the composed positions and multiplies the scales', () => {
    const twice = tensorDropout(tensorDropout(weightVjp, 'o1', [0, 2, 3, 5]), 'o1', [1, 3]);
    const once = tensorDropout(weightVjp, 'o1', [2, 5]);
    const pi = twice.tensors.find((t) => t.id === 'Pi1') as IndexPatternTensor;
    expect(pi.keep).toEqual({ o: [2, 5] });
    const a = evaluate(twice, weightInputs).data;
    const b = evaluate(once, weightInputs).data;
    for (let j = 0; j < a.length; j++) expect(a[j]).toBeCloseTo(b[j], 12);
  });

  it('thins a simplified dense layer, where the spatial index sits on data tensors only', () => {
    const dense = simplify(
      getOperation('conv_weight_vjp').build({
        kernel_size: 2,
        stride: 2,
        shapes: { x: [1, 1, 8], v: [1, 2, 4] },
      }),
    ).network;
    const inputs: Inputs = { x: randomTensor([1, 1, 8], 5), v: randomTensor([1, 2, 4], 6) };
    const exact = evaluate(dense, inputs).data;
    const avg = mean(
      subsets(4, 2).map((keep) => evaluate(tensorDropout(dense, 'o1', keep), inputs).data),
    );
    for (let j = 0; j < exact.length; j++) expect(avg[j]).toBeCloseTo(exact[j], 12);
  });
});

describe('the dropout step', () => {
  it('records a select on data tensors, kept positions on Π, a scale, and a logged step', () => {
    const { network, step } = dropoutStep(weightVjp, 'o1', [1, 4, 6]);
    const v = network.tensors.find((t) => t.id === 'v') as DataTensor;
    expect(v.transforms.at(-1)).toEqual({ kind: 'select', axis: 3, indices: [1, 4, 6] });
    expect((network.tensors.find((t) => t.id === 'Pi1') as IndexPatternTensor).keep).toEqual({
      o: [1, 4, 6],
    });
    expect(network.tensors.at(-1)).toMatchObject({ kind: 'scalar', value: 7 / 3, label: '7/3' });
    expect(network.sizes.o1).toBe(3);
    expect(step.rule).toBe('tensor_dropout');
    expect(step.tensors).toEqual(['Pi1', 'v', 'dropout_scale']);
    expect(step.legs).toEqual(['o1']);
    expect(step.explanation).toBe(
      'keep 3 of 7 positions of o1 (1, 4, 6) on Π₁, V and scale by 7/3: each position is kept with probability 3/7, so the estimate of the sum over o1 is unbiased',
    );
  });

  it('is reproducible from its seed, and every position is kept about equally often', () => {
    const a = randomTensorDropout(weightVjp, 'o1', 0.5, 42);
    expect(randomTensorDropout(weightVjp, 'o1', 0.5, 42)).toEqual(a);
    expect(a.keep).toHaveLength(keptCount(7, 0.5));
    const counts = new Array<number>(10).fill(0);
    const draws = 2000;
    for (let seed = 0; seed < draws; seed++) for (const j of sampleKept(10, 3, seed)) counts[j]++;
    // Each position is kept with probability 3/10: 600 expected, standard deviation ≈ 20.5.
    for (const c of counts) expect(Math.abs(c - 600)).toBeLessThan(5 * 20.5);
    const u = seededUniform(7);
    const first = [u(), u(), u()];
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });

  it('refuses open legs, δ legs, unknown indices and bad positions', () => {
    expect(() => tensorDropout(weightVjp, 'c_in', [0])).toThrow(
      /'c_in' is an open leg: dropping it would zero entries of the result/,
    );
    expect(() => tensorDropout(weightVjp, 'z', [0])).toThrow(
      /no tensor of the network carries index 'z'/,
    );
    expect(() => tensorDropout(weightVjp, 'o1', [])).toThrow(/at least one position/);
    expect(() => tensorDropout(weightVjp, 'o1', [7])).toThrow(/kept position 7 is outside 0..6/);
    expect(() => tensorDropout(weightVjp, 'o1', [1, 1])).toThrow(/repeat/);
    const jac: Network = derivative(
      getOperation('conv_forward').build({ shapes: { x: [2, 1, 3], weight: [1, 1, 2] } }),
      'weight',
    ).terms[0].network;
    jac.output = jac.output.filter((leg) => leg !== 'c_out');
    jac.resultShape = jac.output.map((leg) => jac.sizes[leg]);
    expect(() => tensorDropout(jac, 'c_out', [0])).toThrow(/'c_out' is on a Kronecker delta/);
    expect(() => randomTensorDropout(weightVjp, 'o1', 0, 1)).toThrow(
      /keep fraction must lie in \(0, 1\]/,
    );
  });
});

describe('dropout cost', () => {
  it('falls with the keep fraction', () => {
    const fractions = [1, 0.75, 0.5, 0.25, 0.1];
    const costs = fractions.map((p) => dropoutCost(weightVjp, 'o1', p));
    expect(costs[0].ratio).toBe(1);
    expect(costs[0].flops).toBe(costs[0].fullFlops);
    for (let j = 1; j < costs.length; j++) expect(costs[j].flops).toBeLessThan(costs[j - 1].flops);
    expect(costs.map((c) => c.keptSize)).toEqual([7, 5, 4, 2, 1]);
    for (const index of ['n', 'i1']) {
      expect(dropoutCost(weightVjp, index, 0.5).flops).toBeLessThan(
        dropoutCost(weightVjp, index, 1).flops,
      );
    }
    expect(dropoutCost(inputVjp, 'c_out', 0.5).ratio).toBeLessThan(1);
  });
});
