import { fail } from '../errors.ts';
import { perDimension } from '../hyper.ts';
import {
  assemble,
  checkSpatial,
  convPatterns,
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
} from './common.ts';
import type { Operation } from './operation.ts';

/**
 * v[n g c_out o…] Π…[k o i] W[g c_out c_in k…] → [n g c_in i…]: the gradient of the
 * convolution w.r.t. its input, which is also the transpose convolution of v.
 */
export const convInputVjp: Operation = {
  name: 'conv_input_vjp',
  inputs: ['v', 'weight'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'input_size'],
  summary: 'Vector-Jacobian product w.r.t. the input (= transpose convolution of v).',
  build(input) {
    const vShape = shapeOf(input, 'v');
    const wShape = shapeOf(input, 'weight');
    const dims = spatialDims(vShape, 'v', '[N, C_out, *O]');
    expectSameDims(wShape, dims, 'weight');
    if (input.input_size === undefined) fail('input_size is required for conv_input_vjp');
    const inputSize = perDimension(input.input_size, dims, 'input_size', 1);
    const groups = groupsOf(input);
    const [batch, cOut] = vShape;
    if (wShape[0] !== cOut)
      fail(`tensor 'weight' has ${wShape[0]} output channels but 'v' has ${cOut}`);
    const outPerGroup = perGroup(cOut, groups, 'out_channels');
    const inPerGroup = wShape[1];
    const g = geometry(input, dims, wShape.slice(2));
    const patterns = patternTensors(convPatterns(inputSize, g));
    checkSpatial(
      vShape.slice(2),
      patterns.map((p) => p.pattern.outputSize),
      'v',
      'spatial size',
    );
    const d = range(dims);
    const vView = [batch, groups, outPerGroup, ...vShape.slice(2)];
    const wView = [groups, outPerGroup, ...wShape.slice(1)];
    return assemble(
      [
        {
          tensor: dataTensor('v', 'V', 'v', vShape, vView, [
            'n',
            'g',
            'c_out',
            ...d.map((k) => leg.o(k)),
          ]),
          shape: vView,
        },
        ...patternParts(patterns),
        {
          tensor: dataTensor('weight', 'W', 'weight', wShape, wView, [
            'g',
            'c_out',
            'c_in',
            ...d.map((k) => leg.k(k)),
          ]),
          shape: wView,
        },
      ],
      ['n', 'g', 'c_in', ...d.map((k) => leg.i(k))],
      [batch, groups * inPerGroup, ...inputSize],
    );
  },
};
