import type { LinearPath } from './cost.ts';
import { linearToSsa, ssaToLinear, type SsaPath } from './path.ts';
import { emptyBits, intersects, setBit, type Bits } from './bitset.ts';
import {
  lexLess,
  mergeNodes,
  newStepCost,
  primary,
  secondary,
  stepCost,
  type Node,
  type PlanProblem,
  type StepCost,
} from './problem.ts';

/**
 * What every search algorithm shares: its signature, its options, and the pool of
 * current operands that greedy-style searches contract one pair at a time.
 */

/** The search algorithms, by name; 'auto' picks one of the others by problem size. */
export type PlanAlgorithm =
  'sequential' | 'greedy' | 'optimal' | 'branch-bound' | 'random-greedy' | 'auto';
export type ConcreteAlgorithm = Exclude<PlanAlgorithm, 'auto'>;

/**
 * How an intermediate's memory is counted: 'stored' counts the elements the structured
 * model keeps (the nonzeros of an intermediate made only of Π / δ, else its dense size);
 * 'dense' counts every intermediate densely.
 */
export type MemoryMeasure = 'stored' | 'dense';

export interface SearchOptions {
  /** Largest intermediate allowed, in elements as memoryMeasure counts them; Infinity for none. */
  memoryLimit: number;
  memoryMeasure: MemoryMeasure;
  /** Wall-clock time the search may take (anytime searches return their best by then). */
  timeBudgetMs: number;
  /** Seed of the random-greedy search. */
  seed: number;
}

export const DEFAULT_SEARCH: SearchOptions = {
  memoryLimit: Infinity,
  memoryMeasure: 'stored',
  timeBudgetMs: 100,
  seed: 1,
};

export type MemoryLimit = Pick<SearchOptions, 'memoryLimit' | 'memoryMeasure'>;

/** Elements an intermediate takes, as the measure counts them. */
export function footprint(node: Node, measure: MemoryMeasure): number {
  return measure === 'dense' ? node.size : node.stored;
}

export function fits(node: Node, limit: MemoryLimit): boolean {
  return footprint(node, limit.memoryMeasure) <= limit.memoryLimit;
}

/**
 * One search algorithm: the problem in, a linear path out, or null when no path keeps
 * every intermediate within the memory limit (as far as the algorithm can tell).
 */
export type PathAlgorithm = (problem: PlanProblem, options: SearchOptions) => LinearPath | null;

/** A path found by a search, with its cost ordered by the objective. */
export interface Found {
  ssa: SsaPath;
  primary: number;
  secondary: number;
}

export function better(a: Found | null, b: Found | null): Found | null {
  if (!a) return b;
  if (!b) return a;
  return lexLess(b.primary, b.secondary, a.primary, a.secondary) ? b : a;
}

export function toLinear(problem: PlanProblem, found: Found | null): LinearPath | null {
  return found ? ssaToLinear(found.ssa, problem.leaves.length) : null;
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Current operands of a pairwise search, by SSA id, with how many of them (plus the
 * output) carry each leg: a leg stays after contracting a and b iff something else
 * still carries it. An original operand with legs of its own may be summed over those
 * legs just before its first contraction (see PlanProblem.reductions); candidate()
 * takes that single-operand step whenever it makes the contraction cheaper.
 */
export class Pool {
  readonly nodes = new Map<number, Node>();
  readonly legCount: Int32Array;
  nextId: number;
  readonly ssa: SsaPath = [];
  total = { dense: 0, structured: 0 };
  private readonly cost: StepCost = newStepCost();

  constructor(
    readonly problem: PlanProblem,
    readonly limit: MemoryLimit = DEFAULT_SEARCH,
  ) {
    this.legCount = new Int32Array(problem.words * 32);
    problem.leaves.forEach((node, id) => {
      this.nodes.set(id, node);
      this.count(node.legs, 1);
    });
    this.count(problem.outputBits, 1);
    this.nextId = problem.leaves.length;
  }

  private count(bits: Bits, delta: number): void {
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const low = word & -word;
        this.legCount[w * 32 + 31 - Math.clz32(low)] += delta;
        word ^= low;
      }
    }
  }

  /** Legs of a ∪ b that another operand or the output still carries. */
  kept(a: Node, b: Node): Bits {
    const out = emptyBits(this.problem.words);
    for (let w = 0; w < out.length; w++) {
      let word = a.legs[w] | b.legs[w];
      while (word !== 0) {
        const low = word & -word;
        const leg = w * 32 + 31 - Math.clz32(low);
        const here = ((a.legs[w] & low) !== 0 ? 1 : 0) + ((b.legs[w] & low) !== 0 ? 1 : 0);
        if (this.legCount[leg] > here) setBit(out, leg);
        word ^= low;
      }
    }
    return out;
  }

  /** Ways to enter a contraction: as is, or (an original operand) summed first. */
  private variants(
    id: number,
  ): { node: Node; dense: number; structured: number; reduce: boolean }[] {
    const node = this.nodes.get(id)!;
    const red = id < this.problem.leaves.length ? this.problem.reductions[id] : null;
    const plain = { node, dense: 0, structured: 0, reduce: false };
    if (!red || !fits(red.node, this.limit)) return [plain];
    return [plain, { ...red, reduce: true }];
  }

  /** The candidate contraction of ids a and b (not applied). */
  candidate(a: number, b: number): Candidate {
    const p = this.problem;
    const na = this.nodes.get(a)!;
    const nb = this.nodes.get(b)!;
    // The result is the same whether or not an operand was summed first: those legs
    // would be summed by this contraction anyway.
    const r = mergeNodes(p, na, nb, this.kept(na, nb));
    let best: Candidate | null = null;
    for (const va of this.variants(a)) {
      for (const vb of this.variants(b)) {
        stepCost(p, va.node, vb.node, r, this.cost);
        const dense = va.dense + vb.dense + this.cost.dense;
        const structured = va.structured + vb.structured + this.cost.structured;
        if (
          !best ||
          lexLess(
            primary(p, dense, structured),
            secondary(p, dense, structured),
            primary(p, best.dense, best.structured),
            secondary(p, best.dense, best.structured),
          )
        ) {
          best = { a, b, r, dense, structured, reduceA: va.reduce, reduceB: vb.reduce };
        }
      }
    }
    return best!;
  }

  apply(c: Candidate): number {
    const na = this.nodes.get(c.a)!;
    const nb = this.nodes.get(c.b)!;
    this.count(na.legs, -1);
    this.count(nb.legs, -1);
    this.count(c.r.legs, 1);
    this.nodes.delete(c.a);
    this.nodes.delete(c.b);
    c.aNode = na;
    c.bNode = nb;
    let a = c.a;
    let b = c.b;
    if (c.reduceA) {
      this.ssa.push([a]);
      a = this.nextId++;
    }
    if (c.reduceB) {
      this.ssa.push([b]);
      b = this.nextId++;
    }
    this.ssa.push([a, b]);
    const id = this.nextId++;
    this.nodes.set(id, c.r);
    this.total.dense += c.dense;
    this.total.structured += c.structured;
    return id;
  }

  /** Reverses apply (for depth-first searches). */
  undo(c: Candidate, id: number): void {
    const entries = 1 + (c.reduceA ? 1 : 0) + (c.reduceB ? 1 : 0);
    this.nodes.delete(id);
    this.nextId -= entries;
    this.ssa.length -= entries;
    this.total.dense -= c.dense;
    this.total.structured -= c.structured;
    this.count(c.r.legs, -1);
    this.count(c.aNode!.legs, 1);
    this.count(c.bNode!.legs, 1);
    this.nodes.set(c.a, c.aNode!);
    this.nodes.set(c.b, c.bNode!);
  }

  /** Current ids that share a leg with id. */
  neighbours(id: number): number[] {
    const node = this.nodes.get(id)!;
    const out: number[] = [];
    for (const [other, n] of this.nodes)
      if (other !== id && intersects(node.legs, n.legs)) out.push(other);
    return out;
  }

  found(): Found {
    const p = this.problem;
    return {
      ssa: this.ssa.map((step) => [...step]),
      primary: primary(p, this.total.dense, this.total.structured),
      secondary: secondary(p, this.total.dense, this.total.structured),
    };
  }
}

export interface Candidate {
  a: number;
  b: number;
  r: Node;
  /** Costs of the step, including the single-operand sums taken first. */
  dense: number;
  structured: number;
  /** Sum operand a (b) over its own legs first. */
  reduceA: boolean;
  reduceB: boolean;
  /** The contracted nodes, recorded by Pool.apply so that undo can restore them. */
  aNode?: Node;
  bNode?: Node;
}

/**
 * Cost of a pairwise linear path through the pool (which may sum an operand over its
 * own legs before its first contraction, when cheaper), or null if an intermediate
 * breaks the memory limit.
 */
export function runLinear(
  problem: PlanProblem,
  path: LinearPath,
  limit: MemoryLimit,
): Found | null {
  const pool = new Pool(problem, limit);
  if (problem.leaves.length <= 1) return pool.found();
  // The path's own ids (inputs, then one per step) to the pool's, which also count the
  // single-operand sums the pool may insert.
  const ids: number[] = problem.leaves.map((_, i) => i);
  for (const [a, b] of linearToSsa(path, problem.leaves.length)) {
    const c = pool.candidate(ids[a], ids[b]);
    if (!fits(c.r, limit)) return null;
    ids.push(pool.apply(c));
  }
  return pool.found();
}
