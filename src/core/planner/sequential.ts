import { sequentialPath } from './cost.ts';
import { runLinear, type PathAlgorithm } from './search.ts';

/**
 * No search: operands in the order given, [[0, 1], [0, 1], …] (the baseline the other
 * algorithms are measured against, and what the reference evaluator uses).
 */
export const sequential: PathAlgorithm = (problem, options) => {
  const path = sequentialPath(problem.leaves.length);
  return runLinear(problem, path, options) ? path : null;
};
