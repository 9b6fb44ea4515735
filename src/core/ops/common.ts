import { fail } from '../errors.ts';
import { perDimension, resolvePadding, makePatterns } from '../hyper.ts';
import { transposeOutputSize } from '../indexPattern.ts';
import {
  checkNetwork,
  type DataTensor,
  type IndexPatternTensor,
  type Network,
  type PatternParams,
  type Tensor,
} from '../network.ts';
import type { OpInput } from './operation.ts';

/** Building blocks shared by the operation modules. */

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
export const sub = (n: number): string => [...String(n)].map((d) => SUBSCRIPT[Number(d)]).join('');

/** Index names in the paper's words; a prime marks the second copy in KFC / KFAC-reduce. */
export const leg = {
  k: (d: number, prime = '') => `k${d + 1}${prime}`,
  o: (d: number, prime = '') => `o${d + 1}${prime}`,
  i: (d: number, prime = '') => `i${d + 1}${prime}`,
};

export function shapeOf(input: OpInput, name: string): readonly number[] {
  const shape = input.shapes[name];
  if (!shape) fail(`missing tensor '${name}'`);
  shape.forEach((s) => {
    if (!Number.isInteger(s) || s < 1)
      fail(`tensor '${name}' has invalid shape [${shape.join(', ')}]`);
  });
  return shape;
}

/** Number of spatial dimensions of an [N, C, *spatial] or [C_out, C_in, *K] shape. */
export function spatialDims(shape: readonly number[], name: string, layout: string): number {
  if (shape.length < 3) {
    fail(
      `tensor '${name}' must be ${layout} with at least one spatial dimension, got shape [${shape.join(', ')}]`,
    );
  }
  return shape.length - 2;
}

export function groupsOf(input: OpInput): number {
  const g = input.groups ?? 1;
  if (!Number.isInteger(g) || g < 1) fail(`groups must be a positive integer, got ${g}`);
  return g;
}

export function perGroup(channels: number, groups: number, what: string): number {
  if (channels % groups !== 0) fail(`groups ${groups} does not divide ${what} ${channels}`);
  return channels / groups;
}

export function expectSameDims(shape: readonly number[], dims: number, name: string): void {
  if (shape.length - 2 !== dims) {
    fail(
      `tensor '${name}' has ${shape.length - 2} spatial dimensions but the convolution is ${dims}-d`,
    );
  }
}

export interface Geometry {
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: [number, number][];
}

export function geometry(input: OpInput, dims: number, kernel: readonly number[]): Geometry {
  const stride = perDimension(input.stride, dims, 'stride', 1);
  const dilation = perDimension(input.dilation, dims, 'dilation', 1);
  return {
    kernel: [...kernel],
    stride,
    dilation,
    padding: resolvePadding(input.padding, kernel, stride, dilation),
  };
}

export function kernelSizeOf(input: OpInput, dims: number): number[] {
  if (input.kernel_size === undefined) fail('kernel_size is required for this operation');
  return perDimension(input.kernel_size, dims, 'kernel_size', 1);
}

/** Index patterns of the convolution that reads inputs of the given spatial sizes. */
export function convPatterns(inputSizes: readonly number[], g: Geometry): PatternParams[] {
  return makePatterns(inputSizes, g.kernel, g.stride, g.dilation, g.padding);
}

/**
 * Index patterns of the convolution associated with a transpose convolution (or
 * transposed unfold) whose input has spatial sizes `outputSizes`.
 */
export function transposePatterns(
  input: OpInput,
  outputSizes: readonly number[],
  g: Geometry,
): PatternParams[] {
  const dims = outputSizes.length;
  const outputPadding = perDimension(input.output_padding, dims, 'output_padding', 0);
  const inputSizes = outputSizes.map((o, d) => {
    const op = outputPadding[d];
    if (!Number.isInteger(op) || op < 0)
      fail(`output_padding must be a non-negative integer, got ${op}`);
    if (op >= g.stride[d] && op >= g.dilation[d]) {
      fail(
        `output_padding ${op} must be smaller than stride ${g.stride[d]} or dilation ${g.dilation[d]} (dimension ${d + 1})`,
      );
    }
    const size = transposeOutputSize(
      o,
      g.kernel[d],
      g.stride[d],
      g.dilation[d],
      g.padding[d][0],
      g.padding[d][1],
      op,
    );
    if (size < 1)
      fail(`transpose convolution output size is ${size} in dimension ${d + 1}: padding too large`);
    return size;
  });
  const patterns = convPatterns(inputSizes, g);
  // output_padding ≥ stride (allowed when dilation is larger) makes the associated
  // convolution produce more outputs than the transpose convolution reads: clip o.
  return patterns.map((p, d) => ({ ...p, outputSize: Math.min(p.outputSize, outputSizes[d]) }));
}

export function checkSpatial(
  actual: readonly number[],
  expected: readonly number[],
  name: string,
  what: string,
): void {
  actual.forEach((size, d) => {
    if (size !== expected[d]) {
      fail(
        `tensor '${name}' has ${what} ${size} in dimension ${d + 1}, but the convolution gives ${expected[d]}`,
      );
    }
  });
}

export function patternTensors(
  patterns: readonly PatternParams[],
  prime = '',
  oPrime = prime,
): IndexPatternTensor[] {
  return patterns.map((pattern, d) => ({
    id: `Pi${d + 1}${prime ? 'b' : ''}`,
    label: `Π${sub(d + 1)}${prime ? '′' : ''}`,
    kind: 'index_pattern',
    pattern,
    roles: ['k', 'o', 'i'],
    legs: [leg.k(d, prime), leg.o(d, oPrime), leg.i(d, prime)],
  }));
}

/** A data tensor read from `source`, viewed as `view` (e.g. channels split into groups). */
export function dataTensor(
  id: string,
  label: string,
  source: string,
  sourceShape: readonly number[],
  view: readonly number[],
  legs: string[],
): DataTensor {
  const same = sourceShape.length === view.length && sourceShape.every((s, a) => s === view[a]);
  return {
    id,
    label,
    kind: 'data',
    source,
    legs,
    sourceShape: [...sourceShape],
    transforms: same ? [] : [{ kind: 'reshape', shape: [...view] }],
  };
}

/** Sizes of all legs, read from the tensors' shapes; then a structural check. */
export function assemble(
  parts: { tensor: Tensor; shape: readonly number[] }[],
  output: string[],
  resultShape: number[],
): Network {
  const sizes: Record<string, number> = {};
  for (const { tensor, shape } of parts) {
    tensor.legs.forEach((name, a) => {
      const known = sizes[name];
      if (known !== undefined && known !== shape[a]) {
        fail(`index '${name}' has size ${known} on one tensor but ${shape[a]} on ${tensor.label}`);
      }
      sizes[name] = shape[a];
    });
  }
  const net: Network = { sizes, tensors: parts.map((p) => p.tensor), output, resultShape };
  checkNetwork(net);
  return net;
}

export function patternParts(tensors: IndexPatternTensor[]): { tensor: Tensor; shape: number[] }[] {
  return tensors.map((tensor) => ({
    tensor,
    shape: [tensor.pattern.kernelSize, tensor.pattern.outputSize, tensor.pattern.inputSize],
  }));
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, d) => d);
