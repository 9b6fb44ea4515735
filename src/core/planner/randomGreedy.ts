import { greedyRun, greedySearch, held } from './greedy.ts';
import type { PlanProblem } from './problem.ts';
import {
  better,
  now,
  toLinear,
  type Found,
  type PathAlgorithm,
  type SearchOptions,
} from './search.ts';
import { seededUniform } from '../random.ts';

/**
 * Random greedy: many greedy runs whose choices are perturbed, keeping the best path.
 * Each run draws how much the score credits the inputs it frees (the score is
 * held(result) − m·(held(a) + held(b)) with m in [0, 2]) and a temperature; at every
 * step it picks among the 8 best candidates with probability falling off exponentially
 * in how much worse than the best they score, relative to the best score. A run stops as
 * soon as it costs more than the best path so far. The plain greedy path is the start,
 * so the result is never worse than greedy. Seeded, so a seed and a trial count give the
 * same path on any machine; the time budget can only stop it earlier.
 */

export const RANDOM_GREEDY_TRIALS = 128;

export const randomGreedy: PathAlgorithm = (problem, options) =>
  toLinear(problem, randomGreedySearch(problem, options));

export function randomGreedySearch(problem: PlanProblem, options: SearchOptions): Found | null {
  let best: Found | null = greedySearch(problem, options);
  if (problem.leaves.length <= 2) return best;
  const random = seededUniform(options.seed);
  const deadline = now() + options.timeBudgetMs;
  for (let trial = 0; trial < RANDOM_GREEDY_TRIALS && now() < deadline; trial++) {
    const freed = 2 * random();
    const temperature = random();
    const found = greedyRun(problem, options, {
      score: (p, c, a, b) => held(p, c.r) - freed * (held(p, a) + held(p, b)),
      branch: 8,
      cap: best?.primary,
      pick: (scores) => {
        const scale = temperature * Math.max(1, Math.abs(scores[0]));
        if (scale === 0) return 0;
        const weights = scores.map((s) => Math.exp(-(s - scores[0]) / scale));
        let u = random() * weights.reduce((x, y) => x + y, 0);
        for (let j = 0; j < weights.length; j++) {
          u -= weights[j];
          if (u < 0) return j;
        }
        return weights.length - 1;
      },
    });
    best = better(best, found);
  }
  return best;
}
