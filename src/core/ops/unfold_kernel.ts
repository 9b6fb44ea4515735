import { fail } from '../errors.ts';
import { perDimension } from '../hyper.ts';
import { product, type DeltaTensor, type Tensor } from '../network.ts';
import {
  assemble,
  convPatterns,
  dataTensor,
  geometry,
  groupsOf,
  leg,
  patternParts,
  patternTensors,
  range,
  shapeOf,
  spatialDims,
} from './common.ts';
import type { Operation } from './operation.ts';

/**
 * The unfolded kernel (Toeplitz matrix) T[(g c_out o…), (g′ c_in i…)] =
 * δ(g, g′) Σ_k W[g c_out c_in k…] Π…[k o i], so that conv(x)[n].flatten() =
 * T @ x[n].flatten(). With groups the matrix is block diagonal: a Kronecker delta joins
 * the group legs of rows and columns (absent for one group).
 */
export const unfoldKernel: Operation = {
  name: 'unfold_kernel',
  inputs: ['weight'],
  hyperParameters: ['input_size', 'stride', 'padding', 'dilation', 'groups'],
  summary:
    'Unfolded kernel (Toeplitz matrix) T with conv(x)[n].flatten() = T @ x[n].flatten(): [C_out·∏O, C_in·∏I].',
  build(input) {
    const wShape = shapeOf(input, 'weight');
    const dims = spatialDims(wShape, 'weight', '[C_out, C_in/G, *K]');
    if (input.input_size === undefined) fail('input_size is required for unfold_kernel');
    const inputSize = perDimension(input.input_size, dims, 'input_size', 1);
    const groups = groupsOf(input);
    const [cOut, inPerGroup] = wShape;
    if (cOut % groups !== 0) fail(`groups ${groups} does not divide out_channels ${cOut}`);
    const patterns = patternTensors(
      convPatterns(inputSize, geometry(input, dims, wShape.slice(2))),
    );
    const outputSize = patterns.map((p) => p.pattern.outputSize);
    const d = range(dims);
    const wView = [groups, cOut / groups, ...wShape.slice(1)];
    const parts: { tensor: Tensor; shape: readonly number[] }[] = [
      {
        tensor: dataTensor('weight', 'W', 'weight', wShape, wView, [
          'g',
          'c_out',
          'c_in',
          ...d.map((k) => leg.k(k)),
        ]),
        shape: wView,
      },
      ...patternParts(patterns),
    ];
    const columnGroup = groups > 1 ? "g'" : 'g';
    if (groups > 1) {
      const delta: DeltaTensor = {
        id: 'delta_g',
        label: 'δ',
        kind: 'delta',
        legs: ['g', columnGroup],
      };
      parts.push({ tensor: delta, shape: [groups, groups] });
    }
    // One group keeps a single size-1 g leg, listed once among the row legs.
    const rowLegs = ['g', 'c_out', ...d.map((k) => leg.o(k))];
    const columnLegs = [...(groups > 1 ? [columnGroup] : []), 'c_in', ...d.map((k) => leg.i(k))];
    return assemble(
      parts,
      [...rowLegs, ...columnLegs],
      [cOut * product(outputSize), groups * inPerGroup * product(inputSize)],
    );
  },
};
