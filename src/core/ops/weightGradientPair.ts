import { fail } from '../errors.ts';
import type { Network, Tensor } from '../network.ts';
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

const PRIME = "'";

/** What the product of two per-example weight VJPs keeps open. */
export type PairResult =
  /** ‖G_n‖² per example: [N]. */
  | 'per_example'
  /** Σ over the examples (and rows c) of G², laid out like the weight: [C_out, C_in/G, *K]. */
  | 'weight'
  /** ⟨G_{c,n}, G_{c′,n′}⟩ for every pair of rows: [C·N, C·N]. */
  | 'gram';

export interface PairKind {
  /**
   * The tensor backpropagated: 'v' [N, C_out, *O] (output gradients) or 's'
   * [C, N, C_out, *O] (C rows of a square-root factor of the loss Hessian).
   */
  source: 'v' | 's';
  result: PairResult;
}

/**
 * Two copies of the per-example weight VJP G[(c) n g c_out c_in k…] =
 * Σ_{i,o} x[n g c_in i…] Π…[k o i] V[(c) n g c_out o…], multiplied entry by entry: the
 * copies share the weight legs g, c_out, c_in, k (summed for a Gram matrix, open
 * otherwise), share (c) n unless the result is a Gram matrix, and have their own spatial
 * legs i, o. Sharing a leg between both copies and the output is a Hadamard product, so
 * squares of per-example quantities are one tensor network, and the planner may contract
 * the copies with each other before ever forming G.
 */
export function weightGradientPairNetwork(input: OpInput, kind: PairKind): Network {
  const xShape = shapeOf(input, 'x');
  const name = kind.source;
  const vShape = shapeOf(input, name);
  const rows = name === 's';
  const layout = rows ? '[C, N, C_out, *O]' : '[N, C_out, *O]';
  const dims = spatialDims(xShape, 'x', '[N, C_in, *I]');
  const vSpatial = vShape.slice(rows ? 3 : 2);
  if (vSpatial.length !== dims) {
    if (rows && vShape.length === xShape.length)
      fail(`tensor 's' must be ${layout}: it needs the leading leg C of the factor's rows`);
    expectSameDims(rows ? vShape.slice(1) : vShape, dims, name);
  }
  const [classes, batchV, cOut] = rows ? vShape : [1, ...vShape];
  const kernel = kernelSizeOf(input, dims);
  const groups = groupsOf(input);
  const [batch, cIn] = xShape;
  if (batchV !== batch) fail(`tensor '${name}' has batch size ${batchV} but 'x' has ${batch}`);
  const inPerGroup = perGroup(cIn, groups, 'in_channels');
  const outPerGroup = perGroup(cOut, groups, 'out_channels');
  const params = convPatterns(xShape.slice(2), geometry(input, dims, kernel));
  const d = range(dims);
  const gram = kind.result === 'gram';
  // Legs each copy has for itself: the spatial legs always, and for a Gram matrix the
  // row legs (c) n, which index its rows and columns.
  const own = (legName: string): string => `${legName}${PRIME}`;
  const rowLeg = (legName: string, second: boolean): string =>
    second && gram ? own(legName) : legName;
  const copy = (second: boolean): { tensor: Tensor; shape: readonly number[] }[] => {
    const prime = second ? PRIME : '';
    // The copies share the kernel legs k (weight legs) and keep their own o and i.
    const patterns = patternTensors(params, prime).map((t, j) => ({
      ...t,
      legs: [leg.k(j), ...t.legs.slice(1)],
    }));
    checkSpatial(
      vSpatial,
      patterns.map((p) => p.pattern.outputSize),
      name,
      'spatial size',
    );
    const xView = [batch, groups, inPerGroup, ...xShape.slice(2)];
    const vView = [...(rows ? [classes] : []), batch, groups, outPerGroup, ...vSpatial];
    const n = rowLeg('n', second);
    const vLegs = [
      ...(rows ? [rowLeg('c', second)] : []),
      n,
      'g',
      'c_out',
      ...d.map((k) => leg.o(k, prime)),
    ];
    const vLabel = rows ? 'S' : 'V';
    return [
      {
        tensor: dataTensor(second ? 'x2' : 'x', second ? 'x′' : 'x', 'x', xShape, xView, [
          n,
          'g',
          'c_in',
          ...d.map((k) => leg.i(k, prime)),
        ]),
        shape: xView,
      },
      ...patternParts(patterns),
      {
        tensor: dataTensor(
          second ? `${name}2` : name,
          second ? `${vLabel}′` : vLabel,
          name,
          vShape,
          vView,
          vLegs,
        ),
        shape: vView,
      },
    ];
  };
  const weightLegs = ['g', 'c_out', 'c_in', ...d.map((k) => leg.k(k))];
  const rowLegs = [...(rows ? ['c'] : []), 'n'];
  const output =
    kind.result === 'per_example'
      ? ['n']
      : kind.result === 'weight'
        ? weightLegs
        : [...rowLegs, ...rowLegs.map(own)];
  const resultShape =
    kind.result === 'per_example'
      ? [batch]
      : kind.result === 'weight'
        ? [cOut, inPerGroup, ...kernel]
        : [classes * batch, classes * batch];
  return assemble([...copy(false), ...copy(true)], output, resultShape);
}
