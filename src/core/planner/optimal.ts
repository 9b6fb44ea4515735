import { fail } from '../errors.ts';
import { orInto, productOver } from './bitset.ts';
import {
  determiningBound,
  lexLess,
  newStepCost,
  primary,
  secondary,
  mergeNodes,
  stepCost,
  type Dependency,
  type Node,
} from './problem.ts';
import { fits, toLinear, type PathAlgorithm } from './search.ts';
import type { SsaPath } from './path.ts';

/**
 * Exact optimum by dynamic programming over subsets of operands. The intermediate of a
 * subset S has the same legs (and so the same size and nonzero bound) whichever order
 * produced it, so the cheapest way to make S is the cheapest split S = A ∪ B plus the
 * cost of contracting A's intermediate with B's. Every split is tried, outer products
 * included, so the result is the minimum over all pairwise contraction orders — the
 * optimum opt_einsum's 'optimal' finds by enumerating orders. Costs are compared
 * lexicographically (objective, then the other cost), which adds up consistently, so
 * the DP is exact for the pair too. 3^n/2 splits: about 4 s at 16 operands, refused past that.
 */

export const MAX_OPTIMAL_OPERANDS = 16;

interface Entry {
  node: Node;
  dense: number;
  structured: number;
}

export const optimal: PathAlgorithm = (problem, options) => {
  const n = problem.leaves.length;
  if (n > MAX_OPTIMAL_OPERANDS) {
    fail(
      `the optimal search is exponential and takes at most ${MAX_OPTIMAL_OPERANDS} operands (this network has ${n}); use 'auto', 'branch-bound' or 'random-greedy'`,
    );
  }
  if (n <= 1) return toLinear(problem, { ssa: [], primary: 0, secondary: 0 });
  const words = problem.words;
  const full = 2 ** n - 1;
  let denseMask = 0;
  problem.leaves.forEach((leaf, i) => {
    if (!leaf.sparse) denseMask |= 1 << i;
  });

  // Union of the legs of each subset, built from the subset without its lowest member.
  const union = new Uint32Array((full + 1) * words);
  const unionOf = (s: number) => union.subarray(s * words, (s + 1) * words);
  for (let s = 1; s <= full; s++) {
    const low = s & -s;
    orInto(unionOf(s), unionOf(s ^ low), problem.leaves[31 - Math.clz32(low)].legs);
  }

  // The intermediate of every subset: legs on the subset that the rest or the output
  // needs. With it, the ways the subset can enter a contraction: an original operand as
  // is or summed over its own legs first (a single-operand step whose cost only adds to
  // that contraction), an intermediate as is.
  const nodes: Node[] = new Array(full + 1);
  const entries: Entry[][] = new Array(full + 1);
  const outside = new Uint32Array(words);
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) {
      const i = 31 - Math.clz32(s);
      nodes[s] = problem.leaves[i];
      const red = problem.reductions[i];
      entries[s] = [{ node: nodes[s], dense: 0, structured: 0 }];
      if (red && fits(red.node, options)) entries[s].push(red);
      continue;
    }
    orInto(outside, unionOf(full ^ s), problem.outputBits);
    const legs = new Uint32Array(words);
    const mine = unionOf(s);
    for (let w = 0; w < words; w++) legs[w] = mine[w] & outside[w];
    const size = productOver(legs, problem.legSizes);
    if ((s & denseMask) !== 0) {
      nodes[s] = { legs, size, sparse: false, stored: size, scope: legs, deps: [] };
    } else {
      const scope = new Uint32Array(words);
      const deps: Dependency[] = [];
      for (let i = 0; i < n; i++) {
        if (s & (1 << i)) {
          orInto(scope, scope, problem.leaves[i].scope);
          deps.push(...problem.leaves[i].deps);
        }
      }
      const stored = Math.min(size, determiningBound(problem, scope, deps, legs));
      nodes[s] = { legs, size, sparse: true, stored, scope, deps };
    }
    entries[s] = [{ node: nodes[s], dense: 0, structured: 0 }];
  }

  const bestP = new Float64Array(full + 1).fill(Infinity);
  const bestS = new Float64Array(full + 1).fill(Infinity);
  const split = new Int32Array(full + 1);
  /** Which entry of the split's two sides was taken (1: summed first). */
  const entryA = new Uint8Array(full + 1);
  const entryB = new Uint8Array(full + 1);
  for (let i = 0; i < n; i++) {
    bestP[1 << i] = 0;
    bestS[1 << i] = 0;
  }
  const cost = newStepCost();
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const r = nodes[s];
    if (!fits(r, options)) continue;
    // Splits A ∪ B with A holding the lowest member, so each unordered split once.
    const low = s & -s;
    const rest = s ^ low;
    let p = Infinity;
    let q = Infinity;
    let arg = 0;
    let ea = 0;
    let eb = 0;
    // Under an engine's cost model the intermediate depends on the split (a view, or a
    // kernel's result): the best split's is the one later steps read.
    let made = r;
    for (let sub = rest; ; sub = (sub - 1) & rest) {
      const a = low | sub;
      const b = s ^ a;
      const p0 = bestP[a] + bestP[b];
      // Step costs are ≥ 0: a split whose parts already cost more cannot win.
      if (b !== 0 && p0 <= p && p0 < Infinity) {
        const q0 = bestS[a] + bestS[b];
        const va = entries[a];
        const vb = entries[b];
        for (let x = 0; x < va.length; x++) {
          for (let y = 0; y < vb.length; y++) {
            const rr = problem.costModel ? mergeNodes(problem, va[x].node, vb[y].node, r.legs) : r;
            stepCost(problem, va[x].node, vb[y].node, rr, cost);
            const dense = va[x].dense + vb[y].dense + cost.dense;
            const structured = va[x].structured + vb[y].structured + cost.structured;
            const pp = p0 + primary(problem, dense, structured);
            const qq = q0 + secondary(problem, dense, structured);
            if (lexLess(pp, qq, p, q)) {
              p = pp;
              q = qq;
              arg = a;
              ea = x;
              eb = y;
              made = rr;
            }
          }
        }
      }
      if (sub === 0) break;
    }
    if (made !== r) {
      nodes[s] = made;
      entries[s] = [{ node: made, dense: 0, structured: 0 }];
    }
    bestP[s] = p;
    bestS[s] = q;
    split[s] = arg;
    entryA[s] = ea;
    entryB[s] = eb;
  }
  if (bestP[full] === Infinity) return null;

  const ssa: SsaPath = [];
  let next = n;
  const emit = (s: number): number => {
    if ((s & (s - 1)) === 0) return 31 - Math.clz32(s);
    let a = emit(split[s]);
    let b = emit(s ^ split[s]);
    if (entryA[s]) {
      ssa.push([a]);
      a = next++;
    }
    if (entryB[s]) {
      ssa.push([b]);
      b = next++;
    }
    ssa.push([a, b]);
    return next++;
  };
  emit(full);
  return toLinear(problem, { ssa, primary: bestP[full], secondary: bestS[full] });
};
