import { EinsketchError, fail } from '../errors.ts';
import { checkNetwork, type Network } from '../network.ts';
import { keptIndices, type LinearPath } from '../planner/cost.ts';
import { planNetwork } from '../planner/index.ts';
import { materialize, type DenseTensor, type Inputs } from '../tensor.ts';
import {
  checkReferenceOperands,
  checkReferencePath,
  referenceBudget,
  REFERENCE_BYTES_PER_ELEMENT,
  type ReferenceBudget,
} from './budget.ts';
import { contractDense, type Labelled } from './contract.ts';
import { formatBytes } from '../formatBytes.ts';

/**
 * Contraction order for the reference evaluator: the core's planner with every tensor
 * costed as dense (the evaluator materialises Π and δ, so dense FLOPs are its work) and no
 * intermediate larger than the budget allows.
 */
export function planReference(
  net: Network,
  budget: ReferenceBudget = referenceBudget(),
): LinearPath {
  checkReferenceOperands(net, budget);
  if (net.tensors.length === 0) return [];
  const memoryLimit = Math.max(
    1,
    Math.min(
      budget.maxElements,
      Math.floor(budget.memoryBudgetBytes / REFERENCE_BYTES_PER_ELEMENT),
    ),
  );
  try {
    return planNetwork(net, { objective: 'dense', memoryMeasure: 'dense', memoryLimit }).path;
  } catch (err) {
    // The planner counts elements; say which budget they come from.
    if (err instanceof EinsketchError)
      fail(
        `reference evaluator (memory budget ${formatBytes(budget.memoryBudgetBytes)}, float64): ${err.message}`,
      );
    throw err;
  }
}

/**
 * Reference evaluator: float64, every tensor dense (Π and δ materialised as 0/1 arrays),
 * contracted pairwise along a path (the planner's unless given). The path is checked
 * against the entry limit, the memory budget and the work limit before anything is
 * allocated. Returns the result in the network's PyTorch-layout shape.
 */
export function evaluateReference(
  net: Network,
  inputs: Inputs,
  path?: LinearPath,
  options: Partial<ReferenceBudget> = {},
): DenseTensor {
  checkNetwork(net);
  const budget = referenceBudget(options);
  const order = path ?? planReference(net, budget);
  checkReferencePath(net, order, budget);
  let current: Labelled[] = net.tensors.map((t) => ({
    legs: [...t.legs],
    value: materialize(net, t, inputs),
  }));
  for (const group of order) {
    const keep = keptIndices(
      current.map((c) => c.legs),
      group,
      net.output,
    );
    const result = contractDense(
      group.map((p) => current[p]),
      keep,
      net.sizes,
    );
    current = current.filter((_, p) => !group.includes(p));
    current.push(result);
  }
  // Sum what is left over and bring the open legs into output order.
  const final = contractDense(current, net.output, net.sizes);
  return { shape: [...net.resultShape], data: final.value.data };
}
