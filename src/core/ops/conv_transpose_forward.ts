import { fail } from '../errors.ts';
import {
  assemble,
  dataTensor,
  expectSameDims,
  geometry,
  groupsOf,
  leg,
  patternParts,
  patternTensors,
  perGroup,
  range,
  shapeOf,
  spatialDims,
  transposePatterns,
} from './common.ts';
import type { Operation } from './operation.ts';

/**
 * Transpose convolution (PyTorch conv_transposeNd): x[n g c_in o…] Π…[k o i]
 * W[g c_in c_out k…] → [n g c_out i…], with the Π of the associated convolution.
 */
export const convTransposeForward: Operation = {
  name: 'conv_transpose_forward',
  inputs: ['x', 'weight'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'output_padding'],
  summary: 'Transpose convolution (PyTorch conv_transposeNd); weight is [C_in, C_out/G, *K].',
  build(input) {
    const xShape = shapeOf(input, 'x');
    const wShape = shapeOf(input, 'weight');
    const dims = spatialDims(xShape, 'x', '[N, C_in, *spatial]');
    expectSameDims(wShape, dims, 'weight');
    if (input.padding === 'same') fail("padding 'same' is not defined for transpose convolutions");
    const groups = groupsOf(input);
    const [batch, cIn] = xShape;
    if (wShape[0] !== cIn)
      fail(`tensor 'weight' has ${wShape[0]} input channels but 'x' has ${cIn}`);
    const inPerGroup = perGroup(cIn, groups, 'in_channels');
    const outPerGroup = wShape[1];
    const g = geometry(input, dims, wShape.slice(2));
    const patterns = patternTensors(transposePatterns(input, xShape.slice(2), g));
    const d = range(dims);
    const xView = [batch, groups, inPerGroup, ...xShape.slice(2)];
    const wView = [groups, inPerGroup, ...wShape.slice(1)];
    return assemble(
      [
        {
          tensor: dataTensor('x', 'x', 'x', xShape, xView, [
            'n',
            'g',
            'c_in',
            ...d.map((k) => leg.o(k)),
          ]),
          shape: xView,
        },
        ...patternParts(patterns),
        {
          tensor: dataTensor('weight', 'W', 'weight', wShape, wView, [
            'g',
            'c_in',
            'c_out',
            ...d.map((k) => leg.k(k)),
          ]),
          shape: wView,
        },
      ],
      ['n', 'g', 'c_out', ...d.map((k) => leg.i(k))],
      [batch, groups * outPerGroup, ...patterns.map((p) => p.pattern.inputSize)],
    );
  },
};
