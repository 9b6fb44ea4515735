import { checkNetwork, type Network } from '../network.ts';
import { keptIndices, sequentialPath, type LinearPath } from '../planner/cost.ts';
import { materialize, type DenseTensor, type Inputs } from '../tensor.ts';
import { contractDense, type Labelled } from './contract.ts';

/**
 * Reference evaluator: float64, every tensor dense (Π and δ materialised as 0/1 arrays),
 * contracted pairwise along a path (operand order unless given). Returns the result in
 * the network's PyTorch-layout shape.
 */
export function evaluateReference(net: Network, inputs: Inputs, path: LinearPath = sequentialPath(net.tensors.length)): DenseTensor {
  checkNetwork(net);
  let current: Labelled[] = net.tensors.map((t) => ({ legs: [...t.legs], value: materialize(net, t, inputs) }));
  for (const group of path) {
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
