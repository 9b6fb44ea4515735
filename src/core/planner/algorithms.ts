import { auto } from './auto.ts';
import { branchBound } from './branchBound.ts';
import { greedy } from './greedy.ts';
import { optimal } from './optimal.ts';
import { randomGreedy } from './randomGreedy.ts';
import type { PathAlgorithm, PlanAlgorithm } from './search.ts';
import { sequential } from './sequential.ts';

/** Every search algorithm by name; all share the signature PathAlgorithm. */
export const ALGORITHMS: Readonly<Record<PlanAlgorithm, PathAlgorithm>> = {
  sequential,
  greedy,
  optimal,
  'branch-bound': branchBound,
  'random-greedy': randomGreedy,
  auto,
};

export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as PlanAlgorithm[];
