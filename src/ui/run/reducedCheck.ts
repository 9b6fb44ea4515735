import { product, type Network } from '../../core/network.ts';
import { requireInputShapes } from '../../core/notebook/build.ts';
import { reducedCopy } from '../../core/reduce.ts';
import { evaluateReference } from '../../core/reference/evaluateReference.ts';
import type { Inputs } from '../../core/tensor.ts';
import { evaluateNetwork } from '../../engine/evaluate.ts';
import { maxAbs, maxAbsDiff, randomValues } from '../../engine/bench/index.ts';

/**
 * The check a run makes when the network is too large for the float64 reference: the
 * engine and the reference evaluate a reduced copy (same structure, every size cut to a
 * few entries) on the active backend, on seeded random inputs.
 */
export type ReducedCheck = { maxError: number; maxAbs: number; note: string } | { skip: string };

export async function checkReducedCopy(net: Network, seed: number): Promise<ReducedCheck> {
  const reduced = reducedCopy(net);
  if (!reduced) return { skip: 'its sizes cannot be cut down consistently for a reduced copy' };
  const shapes = requireInputShapes(reduced);
  const inputs: Inputs = {};
  Object.entries(shapes).forEach(([name, shape], j) => {
    inputs[name] = { shape, data: Float64Array.from(randomValues(product(shape), seed + j)) };
  });
  const got = await evaluateNetwork(reduced, inputs);
  const want = evaluateReference(reduced, inputs);
  const sizes = [...new Set(Object.values(reduced.sizes))].sort((a, b) => a - b).join(', ');
  return {
    maxError: maxAbsDiff(Float32Array.from(got.result.data), want.data),
    maxAbs: maxAbs(want.data),
    note: `checked against the float64 reference on a reduced copy (same structure, index sizes ${sizes}; result [${reduced.resultShape.join(', ')}]), since the full network is too large for it`,
  };
}
