import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denseIndexPattern,
  makePattern,
  transposeOutputSize,
  convOutputSize,
} from '../../src/core/indexPattern.ts';
import { tapPosition, type ConvSpec } from '../helpers/naive.ts';

const dimension = fc
  .record({
    input: fc.integer({ min: 1, max: 12 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 4 }),
    dilation: fc.integer({ min: 1, max: 3 }),
    padLeft: fc.integer({ min: 0, max: 3 }),
    padRight: fc.integer({ min: 0, max: 3 }),
  })
  .filter((d) => d.dilation * (d.kernel - 1) + 1 <= d.input + d.padLeft + d.padRight);

function spec(d: {
  input: number;
  kernel: number;
  stride: number;
  dilation: number;
  padLeft: number;
  padRight: number;
}): ConvSpec {
  return {
    batch: 1,
    groups: 1,
    inPerGroup: 1,
    outPerGroup: 1,
    input: [d.input],
    kernel: [d.kernel],
    stride: [d.stride],
    dilation: [d.dilation],
    padLeft: [d.padLeft],
    padRight: [d.padRight],
  };
}

describe('index pattern Π', () => {
  it('agrees with a sliding window over an explicitly padded axis', () => {
    fc.assert(
      fc.property(dimension, (d) => {
        const p = makePattern(d.input, d.kernel, d.stride, d.dilation, d.padLeft, d.padRight);
        // Number of windows that fit in the padded axis, counted one by one.
        let windows = 0;
        while (windows * d.stride + d.dilation * (d.kernel - 1) < d.input + d.padLeft + d.padRight)
          windows++;
        expect(p.outputSize).toBe(windows);
        const pi = denseIndexPattern(p, ['k', 'o', 'i']);
        for (let k = 0; k < d.kernel; k++) {
          for (let o = 0; o < windows; o++) {
            const hit = tapPosition(o, k, 0, spec(d));
            for (let i = 0; i < d.input; i++) {
              expect(pi[(k * windows + o) * d.input + i]).toBe(i === hit ? 1 : 0);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('sums over a missing role (the summed pattern Π̄[k, i])', () => {
    fc.assert(
      fc.property(dimension, (d) => {
        const p = makePattern(d.input, d.kernel, d.stride, d.dilation, d.padLeft, d.padRight);
        const full = denseIndexPattern(p, ['k', 'o', 'i']);
        const summed = denseIndexPattern(p, ['i', 'k']);
        for (let k = 0; k < d.kernel; k++) {
          for (let i = 0; i < d.input; i++) {
            let s = 0;
            for (let o = 0; o < p.outputSize; o++) s += full[(k * p.outputSize + o) * d.input + i];
            expect(summed[i * d.kernel + k]).toBe(s);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('transpose convolution sizes invert the convolution output size', () => {
    fc.assert(
      fc.property(dimension, fc.integer({ min: 0, max: 3 }), (d, extra) => {
        const o = convOutputSize(d.input, d.kernel, d.stride, d.dilation, d.padLeft, d.padRight);
        const outputPadding = Math.min(extra, d.stride - 1);
        const i = transposeOutputSize(
          o,
          d.kernel,
          d.stride,
          d.dilation,
          d.padLeft,
          d.padRight,
          outputPadding,
        );
        if (i >= 1)
          expect(convOutputSize(i, d.kernel, d.stride, d.dilation, d.padLeft, d.padRight)).toBe(o);
      }),
    );
  });

  it('rejects a kernel larger than the padded input, naming the dimension', () => {
    expect(() => makePattern(4, 3, 1, 2, 0, 0, 1)).toThrow(
      /kernel larger than padded input in dimension 2/,
    );
  });
});
