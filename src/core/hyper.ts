import { fail } from './errors.ts';
import { makePattern, samePadding, type PaddingSpec } from './indexPattern.ts';
import type { PatternParams } from './network.ts';

/**
 * Hyper-parameters as a request gives them (a single int or one per spatial dimension;
 * padding also 'same' | 'valid'), normalised to one value per dimension.
 */

export function perDimension(
  value: number | number[] | undefined,
  dims: number,
  name: string,
  fallback: number,
): number[] {
  if (value === undefined) return new Array<number>(dims).fill(fallback);
  if (typeof value === 'number') return new Array<number>(dims).fill(value);
  if (value.length === 1 && dims > 1) return new Array<number>(dims).fill(value[0]);
  if (value.length !== dims) {
    fail(`${name} has ${value.length} entries but the convolution is ${dims}-d`);
  }
  return [...value];
}

export interface ConvGeometry {
  stride: number[];
  dilation: number[];
}

/** (left, right) padding per dimension. 'same' needs stride 1, as in PyTorch. */
export function resolvePadding(
  padding: PaddingSpec | undefined,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): [number, number][] {
  const dims = kernel.length;
  if (padding === undefined || padding === 'valid') return kernel.map(() => [0, 0]);
  if (padding === 'same') {
    stride.forEach((s, d) => {
      if (s !== 1) fail(`padding 'same' needs stride 1, got stride ${s} in dimension ${d + 1}`);
    });
    return kernel.map((k, d) => samePadding(k, dilation[d]));
  }
  return perDimension(padding, dims, 'padding', 0).map((p) => [p, p]);
}

/** Index patterns of all spatial dimensions of a convolution with input sizes `input`. */
export function makePatterns(
  input: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  padding: [number, number][],
): PatternParams[] {
  return input.map((size, d) =>
    makePattern(size, kernel[d], stride[d], dilation[d], padding[d][0], padding[d][1], d),
  );
}
