import type { Network } from '../network.ts';
import { pathCost, sequentialPath, type LinearPath, type PathStep } from './cost.ts';

export type { LinearPath, PathStep, PathCost } from './cost.ts';
export { pathCost, keptIndices, sequentialPath } from './cost.ts';

export type PlanAlgorithm = 'sequential' | 'greedy' | 'optimal' | 'branch-bound' | 'random-greedy' | 'auto';

export interface PlanOptions {
  algorithm?: PlanAlgorithm;
  /** Largest intermediate allowed, in elements. */
  memoryLimit?: number;
  /** Time the search may take, for 'auto' and 'random-greedy'. */
  timeBudgetMs?: number;
}

export interface ContractionPlan {
  algorithm: PlanAlgorithm;
  path: LinearPath;
  steps: PathStep[];
  /** FLOPs with every tensor costed as dense (opt_einsum's convention). */
  flops: number;
  largestIntermediate: number;
}

/** Contraction plan of a network. Only operand order is implemented so far. */
export function planNetwork(net: Network, options: PlanOptions = {}): ContractionPlan {
  const algorithm = options.algorithm ?? 'sequential';
  const path = sequentialPath(net.tensors.length);
  const cost = pathCost(
    net.tensors.map((t) => t.legs),
    net.output,
    net.sizes,
    path,
  );
  return { algorithm, path, steps: cost.steps, flops: cost.flops, largestIntermediate: cost.largestIntermediate };
}
