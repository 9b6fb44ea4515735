import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getOperation } from '../../src/core/ops/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import {
  directKroneckerFactor,
  directUnfold,
  outputSizes,
  type ConvSpec,
} from '../helpers/naive.ts';
import { maxAbsDiff, randomTensor } from '../helpers/random.ts';

/** Random symmetric-padding geometries, 1- to 3-d, with output_padding < stride. */
const geometry = fc
  .integer({ min: 1, max: 3 })
  .chain((dims) => {
    const list = (min: number, max: number) =>
      fc.array(fc.integer({ min, max }), { minLength: dims, maxLength: dims });
    return fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      groups: fc.integer({ min: 1, max: 2 }),
      perGroup: fc.integer({ min: 1, max: 2 }),
      input: list(1, dims === 3 ? 4 : 7),
      kernel: list(1, 3),
      stride: list(1, 3),
      dilation: list(1, 2),
      pad: list(0, 2),
      extra: list(0, 2),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
  })
  .map((r) => {
    const spec: ConvSpec = {
      batch: r.batch,
      groups: r.groups,
      inPerGroup: r.perGroup,
      outPerGroup: 1,
      input: r.input,
      kernel: r.kernel,
      stride: r.stride,
      dilation: r.dilation,
      padLeft: r.pad,
      padRight: r.pad,
    };
    const outputPadding = r.extra.map((e, d) => Math.min(e, r.stride[d] - 1));
    return { spec, outputPadding, seed: r.seed };
  })
  .filter(({ spec }) =>
    spec.input.every(
      (i, d) => spec.dilation[d] * (spec.kernel[d] - 1) + 1 <= i + 2 * spec.padLeft[d],
    ),
  );

function evaluate(op: string, xShape: number[], seed: number, params: Record<string, unknown>) {
  const x = randomTensor(xShape, seed);
  const net = getOperation(op).build({ ...params, shapes: { x: xShape } });
  return { x, result: evaluateReference(net, { x }) };
}

const TOL = 1e-10;

describe('unfolding and Kronecker factors against loop definitions', () => {
  it('unfold equals im2col by loops', () => {
    fc.assert(
      fc.property(geometry, ({ spec, seed }) => {
        const c = spec.groups * spec.inPerGroup;
        const params = {
          kernel_size: spec.kernel,
          stride: spec.stride,
          dilation: spec.dilation,
          padding: spec.padLeft,
        };
        const { x, result } = evaluate('unfold', [spec.batch, c, ...spec.input], seed, params);
        const want = directUnfold(x.data, c, spec);
        expect(result.shape).toEqual(want.shape);
        expect(maxAbsDiff(result.data, want.data)).toBeLessThan(TOL);
      }),
      { numRuns: 50 },
    );
  });

  it('kfc and kfac_reduce equal the unfold-based definitions', () => {
    fc.assert(
      fc.property(geometry, fc.constantFrom('kfc', 'kfac_reduce'), ({ spec, seed }, op) => {
        const c = spec.groups * spec.inPerGroup;
        const params = {
          kernel_size: spec.kernel,
          stride: spec.stride,
          dilation: spec.dilation,
          padding: spec.padLeft,
          groups: spec.groups,
        };
        const { x, result } = evaluate(op, [spec.batch, c, ...spec.input], seed, params);
        const want = directKroneckerFactor(
          directUnfold(x.data, c, spec),
          spec.groups,
          op === 'kfc' ? 'expand' : 'reduce',
        );
        expect(result.shape).toEqual(want.shape);
        expect(maxAbsDiff(result.data, want.data)).toBeLessThan(TOL);
      }),
      { numRuns: 50 },
    );
  });

  it('unfold_transpose and conv_transpose_kfac_reduce equal scatter-based definitions', () => {
    fc.assert(
      fc.property(geometry, ({ spec, outputPadding, seed }) => {
        const c = spec.groups * spec.inPerGroup;
        const o = outputSizes(spec);
        // The transpose convolution reading [*O] writes [*I]: its own output size.
        const size = o.map(
          (od, d) =>
            (od - 1) * spec.stride[d] -
            2 * spec.padLeft[d] +
            spec.dilation[d] * (spec.kernel[d] - 1) +
            1 +
            outputPadding[d],
        );
        if (size.some((s) => s < 1)) return;
        const t = { ...spec, input: size };
        const params = {
          kernel_size: spec.kernel,
          stride: spec.stride,
          dilation: spec.dilation,
          padding: spec.padLeft,
          output_padding: outputPadding,
        };
        const u = evaluate('unfold_transpose', [spec.batch, c, ...o], seed, params);
        const wantU = directUnfold(u.x.data, c, t, true);
        expect(u.result.shape).toEqual(wantU.shape);
        expect(maxAbsDiff(u.result.data, wantU.data)).toBeLessThan(TOL);
        const k = evaluate('conv_transpose_kfac_reduce', [spec.batch, c, ...o], seed, {
          ...params,
          groups: spec.groups,
        });
        const wantK = directKroneckerFactor(wantU, spec.groups, 'reduce');
        expect(k.result.shape).toEqual(wantK.shape);
        expect(maxAbsDiff(k.result.data, wantK.data)).toBeLessThan(TOL);
      }),
      { numRuns: 50 },
    );
  });
});
