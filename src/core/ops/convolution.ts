import {
  assemble,
  convPatterns,
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
  dataTensor,
} from './common.ts';
import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import type { OpInput } from './operation.ts';

/**
 * The convolution network x[n g c_in i…] Π…[k o i] w[g c_out c_in k…] → [n g c_out o…].
 * conv_forward and the two JVPs (which substitute a tangent for x or for w) build it.
 */
export function convolutionNetwork(
  input: OpInput,
  xName: string,
  xLabel: string,
  wName: string,
  wLabel: string,
): Network {
  const xShape = shapeOf(input, xName);
  const wShape = shapeOf(input, wName);
  const dims = spatialDims(xShape, xName, '[N, C_in, *spatial]');
  expectSameDims(wShape, dims, wName);
  const groups = groupsOf(input);
  const [batch, cIn] = xShape;
  const [cOut, cInPerGroup] = wShape;
  const inPerGroup = perGroup(cIn, groups, 'in_channels');
  const outPerGroup = perGroup(cOut, groups, 'out_channels');
  if (cInPerGroup !== inPerGroup) {
    fail(
      `tensor '${wName}' has ${cInPerGroup} input channels per group but '${xName}' has ${cIn} channels in ${groups} group(s)`,
    );
  }
  const g = geometry(input, dims, wShape.slice(2));
  const patterns = patternTensors(convPatterns(xShape.slice(2), g));
  const d = range(dims);
  return assemble(
    [
      {
        tensor: dataTensor(
          xName,
          xLabel,
          xName,
          xShape,
          [batch, groups, inPerGroup, ...xShape.slice(2)],
          ['n', 'g', 'c_in', ...d.map((k) => leg.i(k))],
        ),
        shape: [batch, groups, inPerGroup, ...xShape.slice(2)],
      },
      ...patternParts(patterns),
      {
        tensor: dataTensor(
          wName,
          wLabel,
          wName,
          wShape,
          [groups, outPerGroup, ...wShape.slice(1)],
          ['g', 'c_out', 'c_in', ...d.map((k) => leg.k(k))],
        ),
        shape: [groups, outPerGroup, ...wShape.slice(1)],
      },
    ],
    ['n', 'g', 'c_out', ...d.map((k) => leg.o(k))],
    [batch, cOut, ...patterns.map((p) => p.pattern.outputSize)],
  );
}
