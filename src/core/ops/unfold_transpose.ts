import { fail } from '../errors.ts';
import { product } from '../network.ts';
import {
  assemble,
  dataTensor,
  geometry,
  kernelSizeOf,
  leg,
  patternParts,
  patternTensors,
  range,
  shapeOf,
  spatialDims,
  transposePatterns,
} from './common.ts';
import type { Operation } from './operation.ts';

/**
 * Unfolding for transpose convolutions: x[n c o…] Π…[k o i] → [n c k… i…], laid out as
 * [N, C·∏K, ∏I] with I the transpose convolution's output size.
 */
export const unfoldTranspose: Operation = {
  name: 'unfold_transpose',
  inputs: ['x'],
  hyperParameters: ['stride', 'padding', 'dilation', 'kernel_size', 'output_padding'],
  summary: 'Input unfolding for transpose convolutions: [N, C·∏K, ∏I].',
  build(input) {
    const xShape = shapeOf(input, 'x');
    const dims = spatialDims(xShape, 'x', '[N, C, *spatial]');
    if (input.padding === 'same') fail("padding 'same' is not defined for transpose convolutions");
    const kernel = kernelSizeOf(input, dims);
    const patterns = patternTensors(
      transposePatterns(input, xShape.slice(2), geometry(input, dims, kernel)),
    );
    const d = range(dims);
    const [batch, channels] = xShape;
    return assemble(
      [
        {
          tensor: dataTensor('x', 'x', 'x', xShape, xShape, ['n', 'c', ...d.map((k) => leg.o(k))]),
          shape: xShape,
        },
        ...patternParts(patterns),
      ],
      ['n', 'c', ...d.map((k) => leg.k(k)), ...d.map((k) => leg.i(k))],
      [batch, channels * product(kernel), product(patterns.map((p) => p.pattern.inputSize))],
    );
  },
};
