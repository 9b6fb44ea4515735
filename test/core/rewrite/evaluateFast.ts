import type { Network } from '../../../src/core/network.ts';
import { keptIndices, type LinearPath } from '../../../src/core/planner/cost.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import type { DenseTensor, Inputs } from '../../../src/core/tensor.ts';

/**
 * A greedy pairwise path (pairs that share an index, then smallest work ∏(sizes of the
 * pair's indices) first), so the reference evaluator, whose cost is that product per
 * step, stays fast on every network.
 */
export function greedyPath(net: Network): LinearPath {
  let current = net.tensors.map((t) => [...t.legs]);
  const path: LinearPath = [];
  while (current.length > 1) {
    let best: [number, number] = [0, 1];
    let bestScore = [Infinity, Infinity];
    for (let a = 0; a < current.length; a++) {
      for (let b = a + 1; b < current.length; b++) {
        const union = new Set([...current[a], ...current[b]]);
        let work = 1;
        for (const leg of union) work *= net.sizes[leg];
        // Pairs that share an index first: an outer product only grows what follows.
        const shares = current[a].some((leg) => current[b].includes(leg)) ? 0 : 1;
        if (shares < bestScore[0] || (shares === bestScore[0] && work < bestScore[1])) {
          [best, bestScore] = [
            [a, b],
            [shares, work],
          ];
        }
      }
    }
    const kept = keptIndices(current, best, net.output);
    current = current.filter((_, p) => !best.includes(p));
    current.push(kept);
    path.push(best);
  }
  return path;
}

export function evaluate(net: Network, inputs: Inputs): DenseTensor {
  return evaluateReference(net, inputs, greedyPath(net));
}
