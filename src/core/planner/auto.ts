import { branchBound } from './branchBound.ts';
import { optimal } from './optimal.ts';
import type { PlanProblem } from './problem.ts';
import { randomGreedy } from './randomGreedy.ts';
import type { ConcreteAlgorithm, PathAlgorithm } from './search.ts';

/**
 * 'auto' picks by the number of operands, not by a clock, so a network gets the same
 * plan on every machine up to 12 operands. The exact DP takes 3^n/2 pair evaluations;
 * scripts/bench-planner.ts measured medians of about 1 ms at 10 random tensors, 12–15 ms
 * at 12 and 130 ms at 14 (2 shared cores), so it is used up to 12 — every operation of
 * the library up to 4-d KFC (11 tensors) included. From 13 to 16 operands branch and
 * bound (anytime, exact if it finishes within the budget) came within 2 % of the optimum
 * at 14 tensors; past 16 it falls behind random greedy, which is used there.
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

export const auto: PathAlgorithm = (problem, options) =>
  BY_NAME[chooseAlgorithm(problem)](problem, options);
