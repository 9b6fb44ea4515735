import {
  copyBits,
  equalBits,
  isSubset,
  orInto,
  productOver,
  type Bits,
} from '../../core/planner/bitset.ts';
import {
  closure,
  determiningBound,
  materialisedCost,
  mergeMaterialised,
  type CostModel,
  type Dependency,
  type Node,
  type PlanProblem,
} from '../../core/planner/problem.ts';

/**
 * The planner's cost of a step as the generated WebGPU kernels run it (kernelLowering.ts):
 * an index pattern or δ that meets a dense tensor rides on it as a view (no work, nothing
 * stored), and a product of two dense tensors is one kernel that reads both through
 * their patterns, enumerating each nonzero term once: 2 FLOPs per multiply–add over the
 * nonzeros of the whole join (Π fixes one leg from the two others; a phase split leaves no
 * term the divisibility test would reject), and at least one write per result entry. A
 * view with a leg summed inside that its patterns cannot compute (x·Π̄ of KFAC-reduce) is
 * made first, as the lowering's reduceSide does, and a view over the result's legs is
 * made by the last kernel.
 */

/** Nonzero terms over `scope` (all of its legs when there is no dependency). */
function termsOf(problem: PlanProblem, scope: Bits, deps: readonly Dependency[]): number {
  return deps.length
    ? determiningBound(problem, scope, deps, scope)
    : productOver(scope, problem.legSizes);
}

/** Whether some result entry sums several terms: the kept legs do not fix the whole scope. */
function sums(problem: PlanProblem, kept: Bits, scope: Bits, deps: readonly Dependency[]): boolean {
  return !isSubset(scope, closure(problem.scratch[1], kept, deps));
}

/** FLOPs of materialising a view over its legs (one kernel), or 0 for a tensor already made. */
function makeCost(problem: PlanProblem, n: Node): number {
  if (!n.view) return 0;
  const terms = termsOf(problem, n.scope, n.deps);
  return Math.max(sums(problem, n.legs, n.scope, n.deps) ? 2 * terms : terms, n.size);
}

/** A view a kernel can read in place: every leg summed inside it is computed by a pattern. */
function readInPlace(problem: PlanProblem, n: Node): boolean {
  return !n.view || !sums(problem, n.legs, n.scope, n.deps);
}

export const GENERATED_KERNELS_COST: CostModel = {
  name: 'generated WebGPU kernels',
  merge(problem, a, b, kept) {
    if (a.sparse && b.sparse) return mergeMaterialised(problem, a, b, kept);
    const legs = copyBits(kept);
    const size = productOver(legs, problem.legSizes);
    if (a.sparse || b.sparse) {
      const scope = orInto(copyBits(a.scope), a.scope, b.scope);
      return {
        legs,
        size,
        sparse: false,
        view: true,
        stored: 0,
        scope,
        deps: [...a.deps, ...b.deps],
      };
    }
    return { legs, size, sparse: false, stored: size, scope: legs, deps: [] };
  },
  cost(problem, a, b, r, out) {
    materialisedCost(problem, a, b, r, out);
    if (a.sparse || b.sparse) {
      // Patterns joining patterns or a dense tensor: composed lazily, read by a later
      // kernel; a view over the result's legs is what the last kernel makes.
      out.structured = r.view && equalBits(r.legs, problem.outputBits) ? makeCost(problem, r) : 0;
      out.terms = 0;
      out.adds = false;
      return out;
    }
    let made = 0;
    const side = (n: Node) => {
      if (readInPlace(problem, n)) return n;
      made += makeCost(problem, n);
      return { ...n, view: false, scope: n.legs, deps: [] };
    };
    const [x, y] = [side(a), side(b)];
    const scope = orInto(copyBits(x.scope), x.scope, y.scope);
    const deps = [...x.deps, ...y.deps];
    const terms = termsOf(problem, scope, deps);
    const adds = sums(problem, r.legs, scope, deps);
    out.terms = terms;
    out.adds = adds;
    out.structured = made + Math.max(adds ? 2 * terms : terms, r.size);
    return out;
  },
};
