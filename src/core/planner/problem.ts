import { fail } from '../errors.ts';
import {
  patternRoleSize,
  type Network,
  type PatternRole,
  type Tensor,
  type TensorKind,
} from '../network.ts';
import {
  andInto,
  bitList,
  copyBits,
  emptyBits,
  equalBits,
  isSubset,
  orInto,
  productOver,
  productOverAnd,
  productOverAndNot,
  setBit,
  wordCount,
  type Bits,
} from './bitset.ts';
import {
  closure,
  covers1,
  determiningBound,
  determiningBound1,
  product1,
  type Dependency,
} from './nonzeros.ts';

/**
 * The planning problem and its cost model, shared by every search algorithm.
 *
 * Two costs are kept for every pairwise contraction:
 * - dense FLOPs in opt_einsum's convention (docs/design.md §2.6): ∏(sizes of all its indices),
 *   twice that when it sums an index. This is what `einsketch run` and `plan` report and
 *   what the PyTorch fixtures' `optimal_flops` are measured in.
 * - structured FLOPs, which know that index patterns Π and Kronecker deltas δ are sparse.
 *   A tensor made only of Π / δ / scalars (an original one or an intermediate of them)
 *   is stored by its nonzeros; a contraction touches one term per nonzero of its sparse
 *   side times the dense extent of the other side's own legs, and adds terms only if
 *   some output entry receives more than one of them. So Π·x over i is a gather costing
 *   the size of its result, a δ is a relabel or a diagonal, and Π·Π stays sparse.
 *
 * Nonzeros are bounded with functional dependencies: Π[k,o,i] is nonzero only where
 * i = k·D + o·S − P, so any two of its legs determine the third; a δ's legs determine
 * each other. The nonzeros of a product of patterns are at most ∏ sizes of a set of legs
 * that determines all the others (we find a small such set greedily, dropping the
 * largest legs first, which gives an upper bound — exactly ∏(k, o) for one Π).
 * A summed role of a pattern (Π̄[k,i] = Σ_o Π[k,o,i]) is kept as a hidden leg that no
 * other tensor carries, so Π̄ still counts K·O nonzeros rather than K·I.
 */

export type PlanObjective = 'dense' | 'structured';

export { closure, determiningBound, type Dependency } from './nonzeros.ts';

/** A tensor during planning: an operand or the intermediate of a set of operands. */
export interface Node {
  /** Legs (visible indices). */
  legs: Bits;
  /** Dense element count, ∏ sizes of legs. */
  size: number;
  /** Made only of index patterns, deltas and scalars. */
  sparse: boolean;
  /** Elements stored: a bound on the nonzeros when sparse, else `size`. */
  stored: number;
  /** Sparse or a view: every leg of its parts, hidden and summed ones included (the join's legs). */
  scope: Bits;
  /** Sparse or a view: functional dependencies of its parts. */
  deps: readonly Dependency[];
  /** A cost model's unmaterialised product (a dense tensor read through patterns): nothing stored. */
  view?: boolean;
  /**
   * Sparse, one-word sets only: nonzero bounds of joins producing this node, by the
   * join's legs. The DP evaluates many splits of one subset whose joins share legs.
   */
  bounds?: Map<number, number>;
}

export interface PlanProblem {
  /** Legs of each operand, in operand order. */
  operands: string[][];
  output: string[];
  sizes: Record<string, number>;
  kinds: TensorKind[];
  objective: PlanObjective;
  /** Index number → name; hidden legs of summed pattern roles come after the real ones. */
  legNames: string[];
  legSizes: Float64Array;
  /** Leg numbers from the largest size down (the order determiningBound drops them). */
  legOrder: Int32Array;
  /** Words per bit set. */
  words: number;
  outputBits: Bits;
  leaves: Node[];
  /**
   * Per operand, its sum over the legs no other operand or the output carries (a single
   * operand step, as opt_einsum's paths allow), or null when it has no such leg. Every
   * search may take it before the operand's first pairwise contraction when that is
   * cheaper: summing o out of Π first (KFAC-reduce), or the size-1 leg of einconv's
   * scalar, can save more than the sum costs.
   */
  reductions: (Reduction | null)[];
  /** A unit scalar: contracting with it is a single-operand step. */
  unit: Node;
  /** Scratch sets for the cost functions (no allocation in the search loops). */
  scratch: Bits[];
  costModel?: CostModel;
}

/**
 * How an engine executes steps, for their cost (PlanOptions.costModel); by default every
 * step materialises its result (Π·x is a gather). Supplied by an engine, as it runs them.
 */
export interface CostModel {
  /** Names the FLOPs in reports, e.g. 'generated WebGPU kernels'. */
  name: string;
  merge(problem: PlanProblem, a: Node, b: Node, kept: Bits): Node;
  cost(problem: PlanProblem, a: Node, b: Node, r: Node, out: StepCost): StepCost;
}

export interface Reduction {
  node: Node;
  dense: number;
  structured: number;
}

export interface StepCost {
  dense: number;
  structured: number;
  /** Terms the contraction touches (its multiplications under the structured model). */
  terms: number;
  /** Whether some output entry sums more than one term. */
  adds: boolean;
}

/** Costs ordered by the objective: (primary, tie-break). */
export function primary(problem: PlanProblem, dense: number, structured: number): number {
  return problem.objective === 'dense' ? dense : structured;
}

export function secondary(problem: PlanProblem, dense: number, structured: number): number {
  return problem.objective === 'dense' ? structured : dense;
}

/** Lexicographic a < b over (primary, secondary). */
export function lexLess(p1: number, s1: number, p2: number, s2: number): boolean {
  return p1 < p2 || (p1 === p2 && s1 < s2);
}

interface OperandSpec {
  legs: string[];
  kind: TensorKind;
  /** Pattern roles of the legs and the sizes of missing roles, for index patterns. */
  roles?: PatternRole[];
  hiddenSizes?: Partial<Record<PatternRole, number>>;
  id?: string;
}

/** Problem of a network: Π and δ tensors are sparse, data tensors dense, scalars constant. */
export function problemFromNetwork(
  net: Network,
  objective: PlanObjective = 'structured',
  costModel?: CostModel,
): PlanProblem {
  const specs = net.tensors.map((t: Tensor): OperandSpec => {
    if (t.kind !== 'index_pattern') return { legs: t.legs, kind: t.kind, id: t.id };
    const hiddenSizes: Partial<Record<PatternRole, number>> = {};
    for (const role of ['k', 'o', 'i'] as const) {
      if (!t.roles.includes(role)) hiddenSizes[role] = patternRoleSize(t.pattern, role);
    }
    return { legs: t.legs, kind: t.kind, roles: t.roles, hiddenSizes, id: t.id };
  });
  return buildProblem(specs, net.output, net.sizes, objective, costModel);
}

/** Problem of plain operands (an einsum): every operand is dense data. */
export function problemFromOperands(
  operands: readonly (readonly string[])[],
  output: readonly string[],
  sizes: Readonly<Record<string, number>>,
  objective: PlanObjective = 'dense',
): PlanProblem {
  return buildProblem(
    operands.map((legs) => ({ legs: [...legs], kind: 'data' })),
    output,
    sizes,
    objective,
  );
}

function buildProblem(
  specs: OperandSpec[],
  output: readonly string[],
  sizes: Readonly<Record<string, number>>,
  objective: PlanObjective,
  costModel?: CostModel,
): PlanProblem {
  const legNames: string[] = [];
  const number = new Map<string, number>();
  const numberOf = (name: string): number => {
    let i = number.get(name);
    if (i === undefined) {
      const size = sizes[name];
      if (size === undefined || !(size >= 1)) fail(`index '${name}' has no valid size`);
      i = legNames.length;
      number.set(name, i);
      legNames.push(name);
    }
    return i;
  };
  for (const spec of specs) for (const leg of spec.legs) numberOf(leg);
  const realCount = legNames.length;
  const hiddenSizeList: number[] = [];
  for (const leg of output) {
    if (!number.has(leg)) fail(`open leg '${leg}' is on no tensor`);
  }
  // Hidden legs: one per summed role of each pattern, never shared with another tensor.
  const hiddenNumber: Partial<Record<PatternRole, number>>[] = specs.map((spec, pos) => {
    const at: Partial<Record<PatternRole, number>> = {};
    for (const [role, size] of Object.entries(spec.hiddenSizes ?? {}) as [PatternRole, number][]) {
      at[role] = legNames.length;
      legNames.push(`(Σ${role} of ${spec.id ?? `operand ${pos + 1}`})`);
      hiddenSizeList.push(size);
    }
    return at;
  });
  const words = wordCount(legNames.length);
  const legSizes = new Float64Array(words * 32);
  legNames.forEach(
    (name, i) => (legSizes[i] = i < realCount ? sizes[name] : hiddenSizeList[i - realCount]),
  );

  const outputBits = emptyBits(words);
  for (const leg of output) setBit(outputBits, number.get(leg)!);

  const problemBase = {
    operands: specs.map((s) => [...s.legs]),
    output: [...output],
    sizes: { ...sizes },
    kinds: specs.map((s) => s.kind),
    objective,
    legNames,
    legSizes,
    legOrder: Int32Array.from(
      legNames.map((_, i) => i).sort((a, b) => legSizes[b] - legSizes[a] || a - b),
    ),
    words,
    outputBits,
    leaves: [] as Node[],
    reductions: [] as (Reduction | null)[],
    unit: {
      legs: emptyBits(words),
      size: 1,
      sparse: true,
      stored: 1,
      scope: emptyBits(words),
      deps: [],
    } as Node,
    scratch: Array.from({ length: 6 }, () => emptyBits(words)),
    costModel,
  };

  specs.forEach((spec, pos) => {
    const legs = emptyBits(words);
    for (const leg of spec.legs) setBit(legs, number.get(leg)!);
    const size = productOver(legs, legSizes);
    if (spec.kind === 'data') {
      problemBase.leaves.push({ legs, size, sparse: false, stored: size, scope: legs, deps: [] });
      return;
    }
    const scope = copyBits(legs);
    for (const h of Object.values(hiddenNumber[pos])) setBit(scope, h);
    const deps: Dependency[] = [];
    if (spec.kind === 'index_pattern') {
      // Leg number of each role, visible or hidden.
      const at: Partial<Record<PatternRole, number>> = { ...hiddenNumber[pos] };
      spec.roles!.forEach((role, j) => (at[role] = number.get(spec.legs[j])!));
      const one = (a: number, b: number, c: number): Dependency => {
        const lhs = emptyBits(words);
        setBit(lhs, a);
        setBit(lhs, b);
        const rhs = emptyBits(words);
        setBit(rhs, c);
        return { lhs, rhs };
      };
      // i = k·D + o·S − P: any two of k, o, i fix the third.
      deps.push(one(at.k!, at.o!, at.i!), one(at.k!, at.i!, at.o!), one(at.o!, at.i!, at.k!));
    } else if (spec.kind === 'delta') {
      for (const leg of bitList(legs)) {
        const lhs = emptyBits(words);
        setBit(lhs, leg);
        deps.push({ lhs, rhs: copyBits(legs) });
      }
    }
    const node: Node = { legs, size, sparse: true, stored: size, scope, deps };
    node.stored = Math.min(size, determiningBound(problemBase, scope, deps, legs));
    problemBase.leaves.push(node);
  });
  const cost = newStepCost();
  problemBase.reductions = problemBase.leaves.map((leaf, pos) => {
    const needed = copyBits(outputBits);
    problemBase.leaves.forEach((other, j) => {
      if (j !== pos) orInto(needed, needed, other.legs);
    });
    const kept = andInto(emptyBits(words), leaf.legs, needed);
    if (equalBits(kept, leaf.legs)) return null;
    const node = mergeNodes(problemBase, leaf, problemBase.unit, kept);
    stepCost(problemBase, leaf, problemBase.unit, node, cost);
    return { node, dense: cost.dense, structured: cost.structured };
  });
  return problemBase;
}

/** Intermediate of contracting a and b, keeping the legs `kept`. */
export function mergeNodes(problem: PlanProblem, a: Node, b: Node, kept: Bits): Node {
  return problem.costModel
    ? problem.costModel.merge(problem, a, b, kept)
    : mergeMaterialised(problem, a, b, kept);
}

/** The intermediate when every step materialises its result (stored by nonzeros if sparse). */
export function mergeMaterialised(problem: PlanProblem, a: Node, b: Node, kept: Bits): Node {
  const legs = copyBits(kept);
  const size = productOver(legs, problem.legSizes);
  if (!(a.sparse && b.sparse))
    return { legs, size, sparse: false, stored: size, scope: legs, deps: [] };
  const scope = orInto(emptyBits(problem.words), a.scope, b.scope);
  const deps = a.deps.length === 0 ? b.deps : b.deps.length === 0 ? a.deps : [...a.deps, ...b.deps];
  const stored = Math.min(size, determiningBound(problem, scope, deps, legs));
  return { legs, size, sparse: true, stored, scope, deps };
}

/**
 * Cost of contracting a with b into r (r = mergeNodes(a, b, ...)). Writes into `out` and
 * returns it, so search loops can reuse one object.
 */
export function stepCost(problem: PlanProblem, a: Node, b: Node, r: Node, out: StepCost): StepCost {
  return problem.costModel
    ? problem.costModel.cost(problem, a, b, r, out)
    : materialisedCost(problem, a, b, r, out);
}

export function materialisedCost(
  problem: PlanProblem,
  a: Node,
  b: Node,
  r: Node,
  out: StepCost,
): StepCost {
  const sizes = problem.legSizes;
  // ∏ over a ∪ b = size(a) · ∏(legs of b not on a): both factors are exact integers.
  let bOnly: number;
  let summed: boolean;
  const union = problem.scratch[0];
  if (problem.words === 1) {
    // One-word sets (up to 32 legs) on plain integers: the DP's inner loop.
    const al = a.legs[0];
    const bl = b.legs[0];
    union[0] = al | bl;
    bOnly = product1(bl & ~al, sizes);
    summed = union[0] !== r.legs[0];
  } else {
    bOnly = productOverAndNot(b.legs, a.legs, sizes);
    orInto(union, a.legs, b.legs);
    summed = !equalBits(union, r.legs);
  }
  const unionSize = a.size * bOnly;
  out.dense = summed ? 2 * unionSize : unionSize;
  if (!a.sparse && !b.sparse) {
    out.structured = out.dense;
    out.terms = unionSize;
    out.adds = summed;
    return out;
  }
  let terms: number;
  let deps: readonly Dependency[];
  if (a.sparse && b.sparse) {
    const aOnly = productOverAndNot(a.legs, b.legs, sizes);
    terms = Math.min(unionSize, a.stored * bOnly, b.stored * aOnly);
    if (r.deps.length > 0) terms = Math.min(terms, joinBound(problem, r, union));
    deps = r.deps;
  } else {
    const s = a.sparse ? a : b;
    const d = a.sparse ? b : a;
    const dOnly = productOverAndNot(d.legs, s.legs, sizes);
    terms = Math.min(unionSize, s.stored * dOnly);
    deps = s.deps;
  }
  // No additions when the kept legs fix the summed ones on every nonzero (a gather).
  const adds =
    summed &&
    (deps.length === 0 ||
      (problem.words === 1
        ? !covers1(r.legs[0], deps, union[0])
        : !isSubset(union, closure(problem.scratch[1], r.legs, deps))));
  out.terms = terms;
  out.adds = adds;
  // A result written densely costs at least its size (a scatter into zeros).
  out.structured = Math.max(adds ? 2 * terms : terms, r.stored);
  return out;
}

/** Nonzero bound of the join (legs `union`) whose result is r, cached on r. */
function joinBound(problem: PlanProblem, r: Node, union: Bits): number {
  if (problem.words !== 1) return determiningBound(problem, r.scope, r.deps, union);
  const cache = (r.bounds ??= new Map());
  let bound = cache.get(union[0]);
  if (bound === undefined) {
    bound = determiningBound1(problem, r.scope[0], r.deps, union[0]);
    cache.set(union[0], bound);
  }
  return bound;
}

export function newStepCost(): StepCost {
  return { dense: 0, structured: 0, terms: 0, adds: false };
}

/** Legs kept when the operands in `group` (positions into `current`) are contracted. */
export function keptBits(
  problem: PlanProblem,
  current: readonly Node[],
  group: readonly number[],
): Bits {
  const needed = copyBits(problem.outputBits);
  current.forEach((node, pos) => {
    if (!group.includes(pos)) orInto(needed, needed, node.legs);
  });
  const union = emptyBits(problem.words);
  for (const pos of group) orInto(union, union, current[pos].legs);
  return andInto(union, union, needed);
}

export function legNamesOf(problem: PlanProblem, bits: Bits): string[] {
  return bitList(bits).map((i) => problem.legNames[i]);
}

/** ∏ sizes of the common legs of two nodes. */
export function sharedSize(problem: PlanProblem, a: Node, b: Node): number {
  return productOverAnd(a.legs, b.legs, problem.legSizes);
}
