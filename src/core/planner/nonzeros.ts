import {
  clearBit,
  copyBits,
  copyInto,
  hasBit,
  isSubset,
  orInto,
  productOver,
  setBit,
  type Bits,
} from './bitset.ts';

/**
 * Bounds on the nonzeros of products of index patterns and deltas, from functional
 * dependencies between their legs (see problem.ts).
 */

/** What the bounds read of a planning problem. */
export interface BoundContext {
  legSizes: Float64Array;
  /** Leg numbers from the largest size down (the order determiningBound drops them). */
  legOrder: Int32Array;
  words: number;
  scratch: Bits[];
}

/** X → Y: on the nonzeros of a sparse tensor, the legs in lhs fix the legs in rhs. */
export interface Dependency {
  lhs: Bits;
  rhs: Bits;
}

/** Closure of `start` under the dependencies, written into `out`. */
export function closure(out: Bits, start: Bits, deps: readonly Dependency[]): Bits {
  copyInto(out, start);
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of deps) {
      if (!isSubset(d.rhs, out) && isSubset(d.lhs, out)) {
        orInto(out, out, d.rhs);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Upper bound on the distinct values of `target` over the nonzeros of a sparse join with
 * legs `scope`: ∏ sizes of a set F ⊆ scope whose closure covers target. F starts as the
 * whole scope and drops legs, largest first, while the closure still covers the target.
 * The search loops call this for every pair of sparse intermediates, so sets of one word
 * (≤ 32 legs, every network of the library) take a path on plain integers.
 */
export function determiningBound(
  problem: BoundContext,
  scope: Bits,
  deps: readonly Dependency[],
  target: Bits,
): number {
  if (deps.length === 0) return productOver(target, problem.legSizes);
  if (problem.words === 1) return determiningBound1(problem, scope[0], deps, target[0]);
  const f = copyBits(scope);
  const cl = problem.scratch[5];
  for (const leg of problem.legOrder) {
    if (!hasBit(f, leg)) continue;
    clearBit(f, leg);
    if (!isSubset(target, closure(cl, f, deps))) setBit(f, leg);
  }
  return productOver(f, problem.legSizes);
}

/** Whether the closure of `start` (one word) under the dependencies covers `target`. */
export function covers1(start: number, deps: readonly Dependency[], target: number): boolean {
  let cur = start;
  let changed = true;
  while ((target & ~cur) !== 0 && changed) {
    changed = false;
    for (let j = 0; j < deps.length; j++) {
      const rhs = deps[j].rhs[0];
      if ((rhs & ~cur) !== 0 && (deps[j].lhs[0] & ~cur) === 0) {
        cur |= rhs;
        changed = true;
      }
    }
  }
  return (target & ~cur) === 0;
}

export function determiningBound1(
  problem: Pick<BoundContext, 'legSizes' | 'legOrder'>,
  scope: number,
  deps: readonly Dependency[],
  target: number,
): number {
  let f = scope;
  const order = problem.legOrder;
  for (let j = 0; j < order.length; j++) {
    const bit = 1 << order[j];
    if ((f & bit) === 0) continue;
    if (covers1(f & ~bit, deps, target)) f &= ~bit;
  }
  return product1(f, problem.legSizes);
}

export function product1(bits: number, sizes: Float64Array): number {
  let p = 1;
  while (bits !== 0) {
    const low = bits & -bits;
    p *= sizes[31 - Math.clz32(low)];
    bits ^= low;
  }
  return p;
}
