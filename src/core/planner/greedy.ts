import { intersects } from './bitset.ts';
import { sequentialPath } from './cost.ts';
import { primary, secondary, type Node, type PlanProblem } from './problem.ts';
import {
  better,
  fits,
  Pool,
  runLinear,
  toLinear,
  type Candidate,
  type Found,
  type PathAlgorithm,
  type SearchOptions,
} from './search.ts';

/**
 * Greedy contraction: repeatedly contract the pair that looks best now. Candidates are
 * pairs that share a leg; outer products only when no such pair is left (or fits in
 * memory), as in opt_einsum's greedy. Candidate costs are cached and only the pairs
 * with the new intermediate are recomputed, since contracting a and b changes which
 * legs any other pair keeps only through the new intermediate itself.
 */

/** How one greedy run ranks and picks candidates. */
export interface GreedyRule {
  /** Lower is better. */
  score(problem: PlanProblem, c: Candidate, a: Node, b: Node): number;
  /**
   * Picks among candidates sorted best first (by score, then step cost); returns an
   * index. Default: the first.
   */
  pick?(scores: readonly number[]): number;
  /** How many of the best candidates `pick` sees. */
  branch?: number;
  /** Abandon the run (return null) once its primary cost reaches this. */
  cap?: number;
}

/** Elements the objective charges for holding a node: nonzeros when structured. */
export function held(problem: PlanProblem, node: Node): number {
  return problem.objective === 'dense' ? node.size : node.stored;
}

/** opt_einsum's greedy score: memory the contraction adds (result − its inputs). */
export const MEMORY_REMOVED: GreedyRule = {
  score: (p, c, a, b) => held(p, c.r) - held(p, a) - held(p, b),
};

/** The cheapest contraction first. */
export const CHEAPEST_STEP: GreedyRule = {
  score: (p, c) => primary(p, c.dense, c.structured),
};

function ranks(
  problem: PlanProblem,
  rule: GreedyRule,
  pool: Pool,
  c: Candidate,
): [number, number, number] {
  const a = pool.nodes.get(c.a)!;
  const b = pool.nodes.get(c.b)!;
  return [
    rule.score(problem, c, a, b),
    primary(problem, c.dense, c.structured),
    secondary(problem, c.dense, c.structured),
  ];
}

function before(
  x: [number, number, number],
  cx: Candidate,
  y: [number, number, number],
  cy: Candidate,
): boolean {
  for (let j = 0; j < 3; j++) if (x[j] !== y[j]) return x[j] < y[j];
  return cx.a !== cy.a ? cx.a < cy.a : cx.b < cy.b;
}

export function greedyRun(
  problem: PlanProblem,
  options: SearchOptions,
  rule: GreedyRule,
): Found | null {
  const pool = new Pool(problem, options);
  const count = problem.leaves.length;
  if (count <= 1) return pool.found();
  const stride = 2 * count;
  const cands = new Map<number, Candidate>();
  const consider = (x: number, y: number) => {
    const [a, b] = x < y ? [x, y] : [y, x];
    const c = pool.candidate(a, b);
    if (fits(c.r, options)) cands.set(a * stride + b, c);
  };
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      if (intersects(problem.leaves[a].legs, problem.leaves[b].legs)) consider(a, b);
    }
  }
  while (pool.nodes.size > 1) {
    const choices = [...cands.values()];
    if (choices.length === 0) {
      // Nothing shares a leg (or fits): outer products of what is left.
      const ids = [...pool.nodes.keys()];
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const c = pool.candidate(ids[i], ids[j]);
          if (fits(c.r, options)) choices.push(c);
        }
      }
      if (choices.length === 0) return null;
    }
    let chosen: Candidate;
    if (!rule.pick) {
      chosen = choices[0];
      let best = ranks(problem, rule, pool, chosen);
      for (let j = 1; j < choices.length; j++) {
        const r = ranks(problem, rule, pool, choices[j]);
        if (before(r, choices[j], best, chosen)) {
          chosen = choices[j];
          best = r;
        }
      }
    } else {
      const ranked = choices.map((c) => ({ c, r: ranks(problem, rule, pool, c) }));
      ranked.sort((x, y) => (before(x.r, x.c, y.r, y.c) ? -1 : before(y.r, y.c, x.r, x.c) ? 1 : 0));
      const top = ranked.slice(0, rule.branch ?? 8);
      chosen = top[Math.min(top.length - 1, Math.max(0, rule.pick(top.map((t) => t.r[0]))))].c;
    }
    for (const key of [...cands.keys()]) {
      const c = cands.get(key)!;
      if (c.a === chosen.a || c.a === chosen.b || c.b === chosen.a || c.b === chosen.b)
        cands.delete(key);
    }
    const id = pool.apply(chosen);
    if (
      rule.cap !== undefined &&
      primary(problem, pool.total.dense, pool.total.structured) >= rule.cap
    )
      return null;
    for (const other of pool.neighbours(id)) consider(other, id);
  }
  return pool.found();
}

/**
 * The greedy search: opt_einsum's memory-removed rule and the cheapest-step rule, and
 * operand order; the best of the three. Keeping operand order among the candidates
 * costs one pass and guarantees that planning never does worse than not planning.
 */
export function greedySearch(problem: PlanProblem, options: SearchOptions): Found | null {
  let best = greedyRun(problem, options, MEMORY_REMOVED);
  best = better(best, greedyRun(problem, options, CHEAPEST_STEP));
  best = better(best, runLinear(problem, sequentialPath(problem.leaves.length), options));
  return best;
}

export const greedy: PathAlgorithm = (problem, options) =>
  toLinear(problem, greedySearch(problem, options));
