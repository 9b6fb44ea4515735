import { branchBound } from './branchBound.ts';
import { optimal } from './optimal.ts';
import type { PlanProblem } from './problem.ts';
import { randomGreedy } from './randomGreedy.ts';
import type { ConcreteAlgorithm, PathAlgorithm } from './search.ts';

/**
 * 'auto' picks by the number of operands. The exact DP takes 3^n/2 pair evaluations:
 * measured with scripts/bench-planner.ts it stays well under 50 ms up to 12 operands,
 * which covers every operation of the library up to 3-d KFC (9 tensors). Past that,
 * branch and bound from the greedy path (anytime, exact if it finishes in the budget),
 * and for large networks random greedy within the budget.
 */
export const AUTO_OPTIMAL_MAX = 12;
export const AUTO_BRANCH_MAX = 16;

export type AutoChoice = Extract<ConcreteAlgorithm, 'optimal' | 'branch-bound' | 'random-greedy'>;

export function chooseAlgorithm(problem: PlanProblem): AutoChoice {
  const n = problem.leaves.length;
  if (n <= AUTO_OPTIMAL_MAX) return 'optimal';
  if (n <= AUTO_BRANCH_MAX) return 'branch-bound';
  return 'random-greedy';
}

const BY_NAME: Record<AutoChoice, PathAlgorithm> = {
  optimal,
  'branch-bound': branchBound,
  'random-greedy': randomGreedy,
};

export const auto: PathAlgorithm = (problem, options) => {
  return BY_NAME[chooseAlgorithm(problem)](problem, options);
};
