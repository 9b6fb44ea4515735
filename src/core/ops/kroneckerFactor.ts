import { product, type Network, type ScalarTensor } from '../network.ts';
import {
  assemble,
  convPatterns,
  dataTensor,
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
  transposePatterns,
} from './common.ts';
import type { OpInput } from './operation.ts';

const PRIME = "'";

export interface KroneckerFactorKind {
  /** Both copies of the unfolded input share the output index o (KFAC-expand). */
  shareOutput: boolean;
  /** x is the input of a transpose convolution: it sits on o, and i is summed. */
  transpose: boolean;
}

/**
 * The input-based Kronecker factor of KFAC for convolutions: two copies of the unfolded
 * input contracted over n (and o for KFAC-expand), scaled. Result [G, C/G·∏K, C/G·∏K].
 */
export function kroneckerFactorNetwork(input: OpInput, kind: KroneckerFactorKind): Network {
  const xShape = shapeOf(input, 'x');
  const dims = spatialDims(xShape, 'x', '[N, C, *spatial]');
  const kernel = kernelSizeOf(input, dims);
  const groups = groupsOf(input);
  const [batch, channels] = xShape;
  const perG = perGroup(channels, groups, 'in_channels');
  const g = geometry(input, dims, kernel);
  const params = kind.transpose
    ? transposePatterns(input, xShape.slice(2), g)
    : convPatterns(xShape.slice(2), g);
  const first = patternTensors(params);
  const second = patternTensors(params, PRIME, kind.shareOutput ? '' : PRIME);
  const d = range(dims);
  const xView = [batch, groups, perG, ...xShape.slice(2)];
  const spatialLeg = kind.transpose ? leg.o : leg.i;
  // The entries an unfolded copy is averaged over: output positions, or for the transpose
  // convolution its output (the associated convolution's input) positions.
  const positions = product(params.map((p) => (kind.transpose ? p.inputSize : p.outputSize)));
  const scale: ScalarTensor = {
    id: 'scale',
    label: 'scale',
    kind: 'scalar',
    legs: [],
    value: kind.shareOutput ? 1 / batch : 1 / (batch * positions * positions),
  };
  return assemble(
    [
      {
        tensor: dataTensor('x', 'x', 'x', xShape, xView, [
          'n',
          'g',
          'c_in',
          ...d.map((k) => spatialLeg(k)),
        ]),
        shape: xView,
      },
      ...patternParts(first),
      ...patternParts(second),
      {
        tensor: dataTensor('x2', 'x′', 'x', xShape, xView, [
          'n',
          'g',
          `c_in${PRIME}`,
          ...d.map((k) => spatialLeg(k, PRIME)),
        ]),
        shape: xView,
      },
      { tensor: scale, shape: [] },
    ],
    ['g', 'c_in', ...d.map((k) => leg.k(k)), `c_in${PRIME}`, ...d.map((k) => leg.k(k, PRIME))],
    [groups, perG * product(kernel), perG * product(kernel)],
  );
}
