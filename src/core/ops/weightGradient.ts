import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import {
  assemble,
  checkSpatial,
  convPatterns,
  dataTensor,
  expectSameDims,
  geometry,
  groupsOf,
  kernelSizeOf,
  leg,
  patternParts,
  patternTensors,
  perGroup,
  range,
  shapeOf,
  spatialDims,
} from './common.ts';
import type { OpInput } from './operation.ts';

/**
 * x[n g c_in i…] Π…[k o i] v[n g c_out o…] → [(n) g c_out c_in k…]: the weight VJP,
 * summed over the batch or, keeping n, one gradient per example.
 */
export function weightGradientNetwork(input: OpInput, keepBatch: boolean): Network {
  const xShape = shapeOf(input, 'x');
  const vShape = shapeOf(input, 'v');
  const dims = spatialDims(xShape, 'x', '[N, C_in, *I]');
  expectSameDims(vShape, dims, 'v');
  const kernel = kernelSizeOf(input, dims);
  const groups = groupsOf(input);
  const [batch, cIn] = xShape;
  const [vBatch, cOut] = vShape;
  if (vBatch !== batch) fail(`tensor 'v' has batch size ${vBatch} but 'x' has ${batch}`);
  const inPerGroup = perGroup(cIn, groups, 'in_channels');
  const outPerGroup = perGroup(cOut, groups, 'out_channels');
  const g = geometry(input, dims, kernel);
  const patterns = patternTensors(convPatterns(xShape.slice(2), g));
  checkSpatial(
    vShape.slice(2),
    patterns.map((p) => p.pattern.outputSize),
    'v',
    'spatial size',
  );
  const d = range(dims);
  const xView = [batch, groups, inPerGroup, ...xShape.slice(2)];
  const vView = [batch, groups, outPerGroup, ...vShape.slice(2)];
  const output = ['g', 'c_out', 'c_in', ...d.map((k) => leg.k(k))];
  const resultShape = [cOut, inPerGroup, ...kernel];
  return assemble(
    [
      {
        tensor: dataTensor('x', 'x', 'x', xShape, xView, [
          'n',
          'g',
          'c_in',
          ...d.map((k) => leg.i(k)),
        ]),
        shape: xView,
      },
      ...patternParts(patterns),
      {
        tensor: dataTensor('v', 'V', 'v', vShape, vView, [
          'n',
          'g',
          'c_out',
          ...d.map((k) => leg.o(k)),
        ]),
        shape: vView,
      },
    ],
    keepBatch ? ['n', ...output] : output,
    keepBatch ? [batch, ...resultShape] : resultShape,
  );
}
