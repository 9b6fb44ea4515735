import { product } from '../network.ts';
import {
  assemble,
  convPatterns,
  dataTensor,
  geometry,
  kernelSizeOf,
  leg,
  patternParts,
  patternTensors,
  range,
  shapeOf,
  spatialDims,
} from './common.ts';
import type { Operation } from './operation.ts';

/** im2col: x[n c i…] Π…[k o i] → [n c k… o…], laid out as PyTorch's unfold [N, C·∏K, ∏O]. */
export const unfold: Operation = {
  name: 'unfold',
  inputs: ['x'],
  hyperParameters: ['stride', 'padding', 'dilation', 'kernel_size'],
  summary: 'Input unfolding (im2col, PyTorch nn.Unfold generalised to N-d): [N, C·∏K, ∏O].',
  build(input) {
    const xShape = shapeOf(input, 'x');
    const dims = spatialDims(xShape, 'x', '[N, C, *spatial]');
    const kernel = kernelSizeOf(input, dims);
    const patterns = patternTensors(convPatterns(xShape.slice(2), geometry(input, dims, kernel)));
    const d = range(dims);
    const [batch, channels] = xShape;
    return assemble(
      [
        {
          tensor: dataTensor('x', 'x', 'x', xShape, xShape, ['n', 'c', ...d.map((k) => leg.i(k))]),
          shape: xShape,
        },
        ...patternParts(patterns),
      ],
      ['n', 'c', ...d.map((k) => leg.k(k)), ...d.map((k) => leg.o(k))],
      [batch, channels * product(kernel), product(patterns.map((p) => p.pattern.outputSize))],
    );
  },
};
