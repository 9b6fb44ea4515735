import { bitsKey, emptyBits, intersects, orInto, setBit, type Bits } from './bitset.ts';
import { MEMORY_REMOVED } from './greedy.ts';
import { lexLess, primary, secondary } from './problem.ts';
import { randomGreedySearch } from './randomGreedy.ts';
import {
  better,
  fits,
  now,
  Pool,
  toLinear,
  type Candidate,
  type Found,
  type PathAlgorithm,
} from './search.ts';

/**
 * Branch and bound: depth-first over pairwise contractions, starting from the best path
 * of a random greedy search given a quarter of the time budget (at least the greedy
 * path) as the incumbent, so that cuts bite from the start. A branch is cut when its cost so far already reaches the best
 * complete path (step costs are never negative), or when the same set of intermediates
 * was reached before at no higher cost (the rest of the search from there is the same).
 * Promising pairs are tried first: pairs sharing a leg before outer products, then by
 * the greedy score, so good paths are found early and cut more. Run to the end it is
 * exact (every pair is a branch, outer products included); past the time budget it
 * returns the best path found so far.
 */
export const branchBound: PathAlgorithm = (problem, options) => {
  const n = problem.leaves.length;
  const start = now();
  let best: Found | null = randomGreedySearch(problem, {
    ...options,
    timeBudgetMs: options.timeBudgetMs / 4,
  });
  if (n <= 2) return toLinear(problem, best);
  const deadline = start + options.timeBudgetMs;
  const pool = new Pool(problem, options);
  const tensorWords = Math.max(1, Math.ceil(n / 32));
  const members = new Map<number, Bits>();
  for (let i = 0; i < n; i++) {
    const m = emptyBits(tensorWords);
    setBit(m, i);
    members.set(i, m);
  }
  const memo = new Map<string, [number, number]>();
  let visits = 0;
  let stopped = false;

  const stateKey = (): string => {
    const keys: string[] = [];
    for (const id of pool.nodes.keys()) keys.push(bitsKey(members.get(id)!));
    return keys.sort().join('|');
  };

  const dfs = (): void => {
    if (pool.nodes.size === 1) {
      best = better(best, pool.found());
      return;
    }
    if ((++visits & 127) === 0 && now() > deadline) stopped = true;
    if (stopped) return;
    const ids = [...pool.nodes.keys()];
    const soFarP = primary(problem, pool.total.dense, pool.total.structured);
    const soFarS = secondary(problem, pool.total.dense, pool.total.structured);
    const ranked: { c: Candidate; shares: boolean; score: number; p: number; s: number }[] = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const c = pool.candidate(ids[i], ids[j]);
        if (!fits(c.r, options)) continue;
        const p = soFarP + primary(problem, c.dense, c.structured);
        const s = soFarS + secondary(problem, c.dense, c.structured);
        if (best && !lexLess(p, s, best.primary, best.secondary)) continue;
        const a = pool.nodes.get(c.a)!;
        const b = pool.nodes.get(c.b)!;
        ranked.push({
          c,
          shares: intersects(a.legs, b.legs),
          score: MEMORY_REMOVED.score(problem, c, a, b),
          p,
          s,
        });
      }
    }
    ranked.sort(
      (x, y) => Number(y.shares) - Number(x.shares) || x.score - y.score || x.p - y.p || x.s - y.s,
    );
    for (const { c, p, s } of ranked) {
      if (stopped) return;
      // The incumbent may have improved since this pair was ranked.
      if (best && !lexLess(p, s, best.primary, best.secondary)) continue;
      const id = pool.apply(c);
      const m = emptyBits(tensorWords);
      orInto(m, members.get(c.a)!, members.get(c.b)!);
      members.set(id, m);
      const key = stateKey();
      const seen = memo.get(key);
      if (!seen || lexLess(p, s, seen[0], seen[1])) {
        memo.set(key, [p, s]);
        dfs();
      }
      members.delete(id);
      pool.undo(c, id);
    }
  };
  dfs();
  return toLinear(problem, best);
};
