import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getOperation, OP_NAMES, type Operation } from '../../src/core/ops/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import type { DenseTensor } from '../../src/core/tensor.ts';
import {
  directConvolution,
  directPerExampleWeightGradient,
  directTransposeConvolution,
  outputSizes,
  type ConvSpec,
} from '../helpers/naive.ts';
import { maxAbsDiff, randomTensor } from '../helpers/random.ts';

/** Random convolution hyper-parameters, 1- to 3-d, small enough for loop references. */
const convSpec = fc
  .integer({ min: 1, max: 3 })
  .chain((dims) =>
    fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 3 }),
      inPerGroup: fc.integer({ min: 1, max: 2 }),
      outPerGroup: fc.integer({ min: 1, max: 2 }),
      input: fc.array(fc.integer({ min: 1, max: dims === 3 ? 4 : 7 }), {
        minLength: dims,
        maxLength: dims,
      }),
      kernel: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: dims, maxLength: dims }),
      stride: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: dims, maxLength: dims }),
      dilation: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: dims, maxLength: dims }),
      pad: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: dims, maxLength: dims }),
      same: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    }),
  )
  .map((r) => {
    const same = r.same && r.stride.every((s) => s === 1);
    const padLeft = same
      ? r.kernel.map((k, d) => Math.floor((r.dilation[d] * (k - 1)) / 2))
      : r.pad;
    const padRight = same ? r.kernel.map((k, d) => r.dilation[d] * (k - 1) - padLeft[d]) : r.pad;
    const spec: ConvSpec = { ...r, padLeft, padRight };
    return { spec, padding: same ? ('same' as const) : r.pad, seed: r.seed };
  })
  .filter(({ spec }) =>
    spec.input.every(
      (i, d) =>
        spec.dilation[d] * (spec.kernel[d] - 1) + 1 <= i + spec.padLeft[d] + spec.padRight[d],
    ),
  );

function hyper(spec: ConvSpec, padding: number[] | 'same') {
  return { stride: spec.stride, dilation: spec.dilation, padding, groups: spec.groups };
}

function run(
  op: string,
  input: Record<string, DenseTensor>,
  params: Record<string, unknown>,
): DenseTensor {
  const shapes = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.shape]));
  const net = getOperation(op).build({ ...params, shapes });
  return evaluateReference(net, input);
}

const TOL = 1e-10;

describe('operations against direct loop definitions', () => {
  it('conv_forward equals a direct convolution loop', () => {
    fc.assert(
      fc.property(convSpec, ({ spec, padding, seed }) => {
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const w = randomTensor(
          [spec.groups * spec.outPerGroup, spec.inPerGroup, ...spec.kernel],
          seed + 1,
        );
        const got = run('conv_forward', { x, weight: w }, hyper(spec, padding));
        const want = directConvolution(x.data, w.data, spec);
        expect(got.shape).toEqual(want.shape);
        expect(maxAbsDiff(got.data, want.data)).toBeLessThan(TOL);
      }),
      { numRuns: 60 },
    );
  });

  it('conv_input_jvp and conv_weight_jvp are the forward pass on the tangent', () => {
    fc.assert(
      fc.property(convSpec, ({ spec, padding, seed }) => {
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const w = randomTensor(
          [spec.groups * spec.outPerGroup, spec.inPerGroup, ...spec.kernel],
          seed + 1,
        );
        const want = directConvolution(x.data, w.data, spec).data;
        expect(
          maxAbsDiff(run('conv_input_jvp', { v: x, weight: w }, hyper(spec, padding)).data, want),
        ).toBeLessThan(TOL);
        expect(
          maxAbsDiff(run('conv_weight_jvp', { x, v: w }, hyper(spec, padding)).data, want),
        ).toBeLessThan(TOL);
      }),
      { numRuns: 20 },
    );
  });

  it('conv_input_vjp equals the transpose convolution of v (scatter loop)', () => {
    fc.assert(
      fc.property(convSpec, ({ spec, padding, seed }) => {
        const out = outputSizes(spec);
        const v = randomTensor([spec.batch, spec.groups * spec.outPerGroup, ...out], seed);
        const w = randomTensor(
          [spec.groups * spec.outPerGroup, spec.inPerGroup, ...spec.kernel],
          seed + 1,
        );
        const got = run(
          'conv_input_vjp',
          { v, weight: w },
          { ...hyper(spec, padding), input_size: spec.input },
        );
        // The VJP scatters v through W: a transpose convolution with channel roles swapped.
        const swapped = { ...spec, inPerGroup: spec.outPerGroup, outPerGroup: spec.inPerGroup };
        const want = directTransposeConvolution(v.data, w.data, swapped);
        expect(got.shape).toEqual(want.shape);
        expect(maxAbsDiff(got.data, want.data)).toBeLessThan(TOL);
      }),
      { numRuns: 40 },
    );
  });

  it('conv_transpose_forward equals a scatter loop (output_padding < stride)', () => {
    fc.assert(
      fc.property(convSpec, fc.integer({ min: 0, max: 2 }), ({ spec, seed }, extra) => {
        const out = outputSizes(spec);
        const outputPadding = spec.stride.map((s) => Math.min(extra, s - 1));
        // The transpose convolution's output size includes output_padding.
        const size = spec.input.map(
          (_, d) =>
            (out[d] - 1) * spec.stride[d] -
            spec.padLeft[d] -
            spec.padRight[d] +
            spec.dilation[d] * (spec.kernel[d] - 1) +
            1 +
            outputPadding[d],
        );
        const sym = spec.padLeft.every((p, d) => p === spec.padRight[d]);
        if (!sym) return; // PyTorch transpose convolutions pad symmetrically.
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...out], seed);
        const w = randomTensor(
          [spec.groups * spec.inPerGroup, spec.outPerGroup, ...spec.kernel],
          seed + 1,
        );
        const params = {
          stride: spec.stride,
          dilation: spec.dilation,
          padding: spec.padLeft,
          groups: spec.groups,
          output_padding: outputPadding,
        };
        if (size.some((s) => s < 1)) {
          expect(() => run('conv_transpose_forward', { x, weight: w }, params)).toThrow(
            /padding too large/,
          );
          return;
        }
        const got = run('conv_transpose_forward', { x, weight: w }, params);
        const want = directTransposeConvolution(x.data, w.data, { ...spec, input: size });
        expect(got.shape).toEqual(want.shape);
        expect(maxAbsDiff(got.data, want.data)).toBeLessThan(TOL);
      }),
      { numRuns: 40 },
    );
  });

  it('per-example weight gradients equal a loop, and sum over n to conv_weight_vjp', () => {
    fc.assert(
      fc.property(convSpec, ({ spec, padding, seed }) => {
        const out = outputSizes(spec);
        const x = randomTensor([spec.batch, spec.groups * spec.inPerGroup, ...spec.input], seed);
        const v = randomTensor([spec.batch, spec.groups * spec.outPerGroup, ...out], seed + 1);
        const params = { ...hyper(spec, padding), kernel_size: spec.kernel };
        const per = run('conv_per_example_weight_vjp', { x, v }, params);
        const want = directPerExampleWeightGradient(x.data, v.data, spec);
        expect(per.shape).toEqual(want.shape);
        expect(maxAbsDiff(per.data, want.data)).toBeLessThan(TOL);
        const total = run('conv_weight_vjp', { x, v }, params);
        const summed = new Float64Array(total.data.length);
        per.data.forEach((value, j) => {
          summed[j % summed.length] += value;
        });
        expect(maxAbsDiff(total.data, summed)).toBeLessThan(TOL);
      }),
      { numRuns: 30 },
    );
  });
});

describe('operation library', () => {
  it('has one module per operation, each with inputs and a builder', () => {
    // Every Operation exported by a module of src/core/ops/ is in the registry, so a new
    // operation is built and checked by the loops over OP_NAMES without touching the tests.
    const modules = import.meta.glob('../../src/core/ops/*.ts', { eager: true });
    const defined = Object.values(modules).flatMap((m) =>
      Object.values(m as Record<string, unknown>).filter(
        (v): v is Operation =>
          typeof v === 'object' && v !== null && 'name' in v && 'inputs' in v && 'build' in v,
      ),
    );
    expect(defined.length).toBeGreaterThan(0);
    for (const op of defined) expect(getOperation(op.name), op.name).toBe(op);
    for (const name of OP_NAMES) {
      const op = getOperation(name);
      expect(op.name).toBe(name);
      expect(op.inputs.length).toBeGreaterThan(0);
    }
  });

  it('names the problem for inconsistent hyper-parameters', () => {
    const shapes = { x: [1, 6, 5, 5], weight: [4, 3, 3, 3] };
    expect(() => getOperation('conv_forward').build({ shapes, groups: 4 })).toThrow(
      /groups 4 does not divide in_channels 6/,
    );
    expect(() =>
      getOperation('conv_forward').build({ shapes, groups: 2, stride: 2, padding: 'same' }),
    ).toThrow(/'same' needs stride 1/);
    expect(() =>
      getOperation('conv_forward').build({
        shapes: { x: [1, 6, 2, 2], weight: [4, 3, 3, 3] },
        groups: 2,
      }),
    ).toThrow(/kernel larger than padded input/);
    expect(() =>
      getOperation('conv_forward').build({ shapes, groups: 2, stride: [1, 1, 1] }),
    ).toThrow(/stride has 3 entries but the convolution is 2-d/);
    expect(() =>
      getOperation('conv_forward').build({ shapes: { x: [1, 6, 5, 5], weight: [4, 2, 3, 3] } }),
    ).toThrow(/2 input channels per group/);
    expect(() => getOperation('nope')).toThrow(/unknown op 'nope'/);
  });
});
