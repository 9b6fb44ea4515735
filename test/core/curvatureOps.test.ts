import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerRunRequest, referenceEvaluator } from '../../src/cli/runCommand.ts';
import type { DenseTensor } from '../../src/core/tensor.ts';
import {
  directConvolution,
  directPerExampleWeightGradient,
  directUnfold,
  outputSizes,
  type ConvSpec,
} from '../helpers/naive.ts';
import {
  directAvgPool,
  directFactorGradients,
  directFold,
  directToeplitz,
  gramOfRows,
  squaredNormPerExample,
  sumOfSquares,
} from '../helpers/naiveCurvature.ts';
import { maxAbsDiff, randomTensor } from '../helpers/random.ts';

/** Random 1- to 3-d layers small enough for the loop definitions, with explicit padding. */
const layer = fc
  .integer({ min: 1, max: 3 })
  .chain((dims) => {
    const perDim = (min: number, max: number) =>
      fc.array(fc.integer({ min, max }), { minLength: dims, maxLength: dims });
    return fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      groups: fc.integer({ min: 1, max: 3 }),
      inPerGroup: fc.integer({ min: 1, max: 2 }),
      outPerGroup: fc.integer({ min: 1, max: 2 }),
      input: perDim(1, dims === 3 ? 4 : 6),
      kernel: perDim(1, 3),
      stride: perDim(1, 3),
      dilation: perDim(1, 2),
      pad: perDim(0, 2),
      classes: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
      simplify: fc.boolean(),
    });
  })
  .map((r) => ({
    ...r,
    spec: { ...r, padLeft: r.pad, padRight: r.pad } satisfies ConvSpec & { pad: number[] },
  }))
  .filter(({ spec }) =>
    spec.input.every((i, d) => spec.dilation[d] * (spec.kernel[d] - 1) + 1 <= i + 2 * spec.pad[d]),
  );

const wire = (t: DenseTensor | { shape: number[]; data: Float64Array }) => ({
  shape: t.shape,
  data: Array.from(t.data),
});

async function run(request: Record<string, unknown>) {
  return answerRunRequest(request, referenceEvaluator());
}

/** Relative to the largest entry, so results of any magnitude get the same test. */
function relative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let j = 0; j < expected.length; j++) scale = Math.max(scale, Math.abs(expected[j]));
  return maxAbsDiff(actual, expected) / (scale || 1);
}

const TOL = 1e-10;
const RUNS = { numRuns: 25 };

describe('new operations against loop definitions (float64 reference evaluator)', () => {
  it('conv_forward with a bias adds b[c_out] to every output entry', async () => {
    await fc.assert(
      fc.asyncProperty(layer, async ({ spec, seed, simplify }) => {
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const w = randomTensor(
          [spec.groups * spec.outPerGroup, spec.inPerGroup, ...spec.kernel],
          seed + 1,
        );
        const b = randomTensor([spec.groups * spec.outPerGroup], seed + 2);
        const y = directConvolution(x.data, w.data, spec);
        const perChannel = y.data.length / (spec.batch * b.data.length);
        const want = y.data.map((v, j) => v + b.data[Math.floor(j / perChannel) % b.data.length]);
        const got = await run({
          op: 'conv_forward',
          stride: spec.stride,
          padding: spec.pad,
          dilation: spec.dilation,
          groups: spec.groups,
          simplify,
          tensors: { x: wire(x), weight: wire(w), bias: wire(b) },
        });
        expect(got.shape).toEqual(y.shape);
        expect(got.addends).toHaveLength(1);
        expect(relative(got.data, want)).toBeLessThan(TOL);
      }),
      RUNS,
    );
  }, 120_000);

  it('avg_pool averages every window over ∏K, padding included', async () => {
    await fc.assert(
      fc.asyncProperty(layer, fc.boolean(), async ({ spec, seed, simplify }, defaultStride) => {
        const pool = {
          ...spec,
          dilation: spec.kernel.map(() => 1),
          stride: defaultStride ? spec.kernel : spec.stride,
          pad: spec.kernel.map((k, d) => Math.min(spec.pad[d], Math.floor(k / 2))),
        };
        pool.padLeft = pool.pad;
        pool.padRight = pool.pad;
        fc.pre(pool.input.every((i, d) => pool.kernel[d] <= i + 2 * pool.pad[d]));
        const channels = spec.inPerGroup * spec.groups;
        const x = randomTensor([spec.batch, channels, ...spec.input], seed);
        const got = await run({
          op: 'avg_pool',
          kernel_size: pool.kernel,
          padding: pool.pad,
          simplify,
          ...(defaultStride ? {} : { stride: pool.stride }),
          tensors: { x: wire(x) },
        });
        const want = directAvgPool(x.data, channels, pool);
        expect(got.shape).toEqual(want.shape);
        expect(relative(got.data, want.data)).toBeLessThan(TOL);
      }),
      RUNS,
    );
  }, 120_000);

  it('fold scatters patches back and is the adjoint of unfold: ⟨fold(u), x⟩ = ⟨u, unfold(x)⟩', async () => {
    await fc.assert(
      fc.asyncProperty(layer, async ({ spec, seed, simplify }) => {
        const channels = spec.inPerGroup;
        const rows = channels * spec.kernel.reduce((a, b) => a * b, 1);
        const columns = outputSizes(spec).reduce((a, b) => a * b, 1);
        const u = randomTensor([spec.batch, rows, columns], seed);
        const got = await run({
          op: 'fold',
          kernel_size: spec.kernel,
          input_size: spec.input,
          stride: spec.stride,
          padding: spec.pad,
          dilation: spec.dilation,
          simplify,
          tensors: { x: wire(u) },
        });
        const want = directFold(u.data, channels, spec);
        expect(got.shape).toEqual(want.shape);
        expect(relative(got.data, want.data)).toBeLessThan(TOL);
        const x = randomTensor(want.shape, seed + 1);
        const unfolded = directUnfold(x.data, channels, spec).data;
        const lhs = got.data.reduce((acc, v, j) => acc + v * x.data[j], 0);
        const rhs = u.data.reduce((acc, v, j) => acc + v * unfolded[j], 0);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * (1 + Math.abs(rhs)));
      }),
      RUNS,
    );
  }, 120_000);

  it('unfold_kernel is the matrix of the convolution: conv(x)[n].flatten() = T @ x[n].flatten()', async () => {
    await fc.assert(
      fc.asyncProperty(layer, async ({ spec, seed, simplify }) => {
        const w = randomTensor(
          [spec.groups * spec.outPerGroup, spec.inPerGroup, ...spec.kernel],
          seed,
        );
        const got = await run({
          op: 'unfold_kernel',
          input_size: spec.input,
          stride: spec.stride,
          padding: spec.pad,
          dilation: spec.dilation,
          groups: spec.groups,
          simplify,
          tensors: { weight: wire(w) },
        });
        const want = directToeplitz(w.data, spec);
        expect(got.shape).toEqual(want.shape);
        expect(relative(got.data, want.data)).toBeLessThan(TOL);
        // The defining property, on one example.
        const [rowsT, columnsT] = got.shape;
        const x = randomTensor([1, spec.groups * spec.inPerGroup, ...spec.input], seed + 1);
        const y = directConvolution(x.data, w.data, { ...spec, batch: 1 }).data;
        const tx = Array.from({ length: rowsT }, (_, r) => {
          let acc = 0;
          for (let j = 0; j < columnsT; j++) acc += got.data[r * columnsT + j] * x.data[j];
          return acc;
        });
        expect(relative(tx, y)).toBeLessThan(TOL);
      }),
      RUNS,
    );
  }, 120_000);

  it('per_example_grad_norm and sum_grad_squared square the per-example weight gradients', async () => {
    await fc.assert(
      fc.asyncProperty(layer, async ({ spec, seed, simplify }) => {
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const v = randomTensor(
          [spec.batch, spec.groups * spec.outPerGroup, ...outputSizes(spec)],
          seed + 1,
        );
        const g = directPerExampleWeightGradient(x.data, v.data, spec);
        const hyper = {
          stride: spec.stride,
          padding: spec.pad,
          dilation: spec.dilation,
          groups: spec.groups,
          kernel_size: spec.kernel,
          simplify,
        };
        const tensors = { x: wire(x), v: wire(v) };
        const norms = await run({ op: 'per_example_grad_norm', ...hyper, tensors });
        const squares = await run({ op: 'sum_grad_squared', ...hyper, tensors });
        const wantNorms = squaredNormPerExample(g);
        const wantSquares = sumOfSquares(g, 1);
        expect(norms.shape).toEqual(wantNorms.shape);
        expect(squares.shape).toEqual(wantSquares.shape);
        expect(relative(norms.data, wantNorms.data)).toBeLessThan(TOL);
        expect(relative(squares.data, wantSquares.data)).toBeLessThan(TOL);
      }),
      RUNS,
    );
  }, 120_000);

  it('ggn_diagonal and ggn_gram pair the weight VJPs of the factor rows s[c, n]', async () => {
    await fc.assert(
      fc.asyncProperty(layer, async ({ spec, seed, simplify, classes }) => {
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const s = randomTensor(
          [classes, spec.batch, spec.groups * spec.outPerGroup, ...outputSizes(spec)],
          seed + 1,
        );
        const g = directFactorGradients(x.data, s.data, classes, spec);
        const hyper = {
          stride: spec.stride,
          padding: spec.pad,
          dilation: spec.dilation,
          groups: spec.groups,
          kernel_size: spec.kernel,
          simplify,
        };
        const tensors = { x: wire(x), s: wire(s) };
        const diagonal = await run({ op: 'ggn_diagonal', ...hyper, tensors });
        const gram = await run({ op: 'ggn_gram', ...hyper, tensors });
        const wantDiagonal = sumOfSquares(g, 2);
        const wantGram = gramOfRows(g);
        expect(diagonal.shape).toEqual(wantDiagonal.shape);
        expect(gram.shape).toEqual(wantGram.shape);
        expect(relative(diagonal.data, wantDiagonal.data)).toBeLessThan(TOL);
        expect(relative(gram.data, wantGram.data)).toBeLessThan(TOL);
        // The Gram matrix and the GGN block share their trace: Σ diag(GGN) = tr(Gram).
        const rows = wantGram.shape[0];
        const trace = Array.from({ length: rows }, (_, r) => gram.data[r * rows + r]).reduce(
          (a, b) => a + b,
          0,
        );
        const total = diagonal.data.reduce((a, b) => a + b, 0);
        expect(Math.abs(trace - total)).toBeLessThan(1e-9 * (1 + Math.abs(total)));
      }),
      RUNS,
    );
  }, 120_000);
});
