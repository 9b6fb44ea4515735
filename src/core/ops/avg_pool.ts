import { fail } from '../errors.ts';
import { perDimension } from '../hyper.ts';
import { product, type ScalarTensor } from '../network.ts';
import {
  assemble,
  convPatterns,
  dataTensor,
  kernelSizeOf,
  leg,
  patternParts,
  patternTensors,
  range,
  shapeOf,
  spatialDims,
} from './common.ts';
import type { Operation } from './operation.ts';

/**
 * Average pooling as a convolution with a constant kernel: x[n c i…] Π…[k o i] · 1/∏K →
 * [n c o…]. Every channel keeps its own legs (no channel mixing), and the kernel legs k
 * are summed over Π alone — the summed pattern Π̄[o, i] of the simplifier. The divisor is
 * ∏K for every window, padding included: PyTorch's count_include_pad=True.
 */
export const avgPool: Operation = {
  name: 'avg_pool',
  inputs: ['x'],
  hyperParameters: ['kernel_size', 'stride', 'padding'],
  summary: 'Average pooling (PyTorch avg_poolNd, count_include_pad=True): [N, C, *O].',
  build(input) {
    const xShape = shapeOf(input, 'x');
    const dims = spatialDims(xShape, 'x', '[N, C, *spatial]');
    const kernel = kernelSizeOf(input, dims);
    // PyTorch pools with stride = kernel size unless told otherwise.
    const stride =
      input.stride === undefined ? kernel : perDimension(input.stride, dims, 'stride', 1);
    if (typeof input.padding === 'string')
      fail(`avg_pool takes padding as integers, got '${input.padding}'`);
    const padding = perDimension(input.padding, dims, 'padding', 0);
    padding.forEach((p, d) => {
      if (!Number.isInteger(p) || p < 0 || 2 * p > kernel[d]) {
        fail(
          `avg_pool padding must be between 0 and half the kernel size ${kernel[d]}, got ${p} in dimension ${d + 1}`,
        );
      }
    });
    const geometry = {
      kernel,
      stride,
      dilation: kernel.map(() => 1),
      padding: padding.map((p): [number, number] => [p, p]),
    };
    const patterns = patternTensors(convPatterns(xShape.slice(2), geometry));
    const d = range(dims);
    const [batch, channels] = xShape;
    const scale: ScalarTensor = {
      id: 'scale',
      label: 'scale',
      kind: 'scalar',
      legs: [],
      value: 1 / product(kernel),
    };
    return assemble(
      [
        {
          tensor: dataTensor('x', 'x', 'x', xShape, xShape, ['n', 'c', ...d.map((k) => leg.i(k))]),
          shape: xShape,
        },
        ...patternParts(patterns),
        { tensor: scale, shape: [] },
      ],
      ['n', 'c', ...d.map((k) => leg.o(k))],
      [batch, channels, ...patterns.map((p) => p.pattern.outputSize)],
    );
  },
};
