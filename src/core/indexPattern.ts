import { fail } from './errors.ts';
import type { PatternParams, PatternRole } from './network.ts';

/**
 * The index pattern tensor Π of one spatial dimension (docs/design.md §2.1):
 * Π[k, o, i] = 1 iff i = k·D + o·S − P_left and 0 ≤ i < I. Padding is implicit: taps
 * that fall into the padding have no entry.
 */

export type PaddingSpec = number | number[] | 'same' | 'valid';

/** Effective extent of a dilated kernel. */
export function dilatedKernelSize(kernelSize: number, dilation: number): number {
  return kernelSize + (kernelSize - 1) * (dilation - 1);
}

export function convOutputSize(
  inputSize: number,
  kernelSize: number,
  stride: number,
  dilation: number,
  padLeft: number,
  padRight: number,
): number {
  return (
    1 +
    Math.floor((inputSize + padLeft + padRight - dilatedKernelSize(kernelSize, dilation)) / stride)
  );
}

/** Input size of the convolution associated with a transpose convolution of input size O. */
export function transposeOutputSize(
  outputSize: number,
  kernelSize: number,
  stride: number,
  dilation: number,
  padLeft: number,
  padRight: number,
  outputPadding: number,
): number {
  return (
    (outputSize - 1) * stride - padLeft - padRight + dilation * (kernelSize - 1) + 1 + outputPadding
  );
}

/** 'same' pads D(K−1) in total, the smaller half on the left; only defined for stride 1. */
export function samePadding(kernelSize: number, dilation: number): [number, number] {
  const total = dilation * (kernelSize - 1);
  const left = Math.floor(total / 2);
  return [left, total - left];
}

function checkPositiveInt(value: number, what: string, min = 1): void {
  if (!Number.isInteger(value) || value < min)
    fail(`${what} must be an integer ≥ ${min}, got ${value}`);
}

/**
 * Index pattern of one dimension; throws a one-line error when the dilated kernel does
 * not fit into the padded input.
 */
export function makePattern(
  inputSize: number,
  kernelSize: number,
  stride: number,
  dilation: number,
  padLeft: number,
  padRight: number,
  dim = 0,
): PatternParams {
  const where = `dimension ${dim + 1}`;
  checkPositiveInt(inputSize, `input size (${where})`);
  checkPositiveInt(kernelSize, `kernel size (${where})`);
  checkPositiveInt(stride, `stride (${where})`);
  checkPositiveInt(dilation, `dilation (${where})`);
  checkPositiveInt(padLeft, `padding (${where})`, 0);
  checkPositiveInt(padRight, `padding (${where})`, 0);
  const extent = dilatedKernelSize(kernelSize, dilation);
  if (extent > inputSize + padLeft + padRight) {
    fail(
      `kernel larger than padded input in ${where}: dilated kernel ${extent} > input ${inputSize} + padding ${padLeft + padRight}`,
    );
  }
  const outputSize = convOutputSize(inputSize, kernelSize, stride, dilation, padLeft, padRight);
  return { inputSize, kernelSize, stride, dilation, padLeft, padRight, outputSize };
}

/** The input position a kernel tap k at output position o reads, or −1 if it is padding. */
export function patternInputIndex(p: PatternParams, k: number, o: number): number {
  const i = k * p.dilation + o * p.stride - p.padLeft;
  return i >= 0 && i < p.inputSize ? i : -1;
}

/** Π as a dense row-major array over the given roles; missing roles are summed over. */
export function denseIndexPattern(p: PatternParams, roles: readonly PatternRole[]): Float64Array {
  const size = (r: PatternRole) =>
    r === 'k' ? p.kernelSize : r === 'o' ? p.outputSize : p.inputSize;
  const shape = roles.map(size);
  const strides = new Array<number>(roles.length);
  let acc = 1;
  for (let a = roles.length - 1; a >= 0; a--) {
    strides[a] = acc;
    acc *= shape[a];
  }
  const out = new Float64Array(acc);
  for (let k = 0; k < p.kernelSize; k++) {
    for (let o = 0; o < p.outputSize; o++) {
      const i = patternInputIndex(p, k, o);
      if (i < 0) continue;
      let flat = 0;
      roles.forEach((r, a) => {
        flat += (r === 'k' ? k : r === 'o' ? o : i) * strides[a];
      });
      out[flat] += 1;
    }
  }
  return out;
}
