import { formatEquation } from '../einsum/formatEinsum.ts';
import { fail } from '../errors.ts';
import type { LinearPath, PathStep } from './cost.ts';
import {
  keptBits,
  legNamesOf,
  mergeNodes,
  newStepCost,
  stepCost,
  type Node,
  type PlanProblem,
  type StepCost,
} from './problem.ts';

/**
 * Paths in the two forms opt_einsum uses. A linear path lists position pairs into the
 * current operand list (the pair is removed and its result appended); an SSA path names
 * operands by id instead, inputs 0..n−1 and each step's result n, n+1, … Search
 * algorithms build SSA paths (ids never move) and hand out linear ones.
 */
export type SsaPath = number[][];

export function ssaToLinear(ssa: SsaPath, count: number): LinearPath {
  if (count === 1 && ssa.length === 0) return [[0]];
  const current: number[] = Array.from({ length: count }, (_, i) => i);
  let next = count;
  return ssa.map((ids) => {
    const positions = ids.map((id) => current.indexOf(id)).sort((x, y) => x - y);
    if (positions.some((p) => p < 0) || new Set(positions).size !== positions.length) {
      fail(`invalid SSA step [${ids.join(', ')}]`);
    }
    for (const p of [...positions].reverse()) current.splice(p, 1);
    current.push(next++);
    return positions;
  });
}

export function linearToSsa(path: LinearPath, count: number): number[][] {
  const current: number[] = Array.from({ length: count }, (_, i) => i);
  let next = count;
  return path.map((group) => {
    const ids = group.map((p) => current[p]);
    for (const p of [...group].sort((x, y) => y - x)) current.splice(p, 1);
    current.push(next++);
    return ids;
  });
}

/** What a step does under the structured model, for the engine and the UI. */
export type StepKind =
  /** Both sides dense: a (batched) matrix product. */
  | 'dense'
  /** A pattern side gathers from a dense side (im2col): one term per result entry. */
  | 'gather'
  /** A δ side renames or takes a diagonal of a dense side. */
  | 'relabel'
  /**
   * A pattern or δ side places a dense side's entries into a larger result without
   * summing (e.g. Π meets a tensor without its i leg): the result is mostly zeros.
   */
  | 'scatter'
  /** A sparse side meets a dense side and sums several terms into each result entry. */
  | 'sparse-dense'
  /** Π / δ with Π / δ: the result is still sparse. */
  | 'sparse'
  /** One operand alone (a sum over legs only it carries, or nothing). */
  | 'single'
  /** Under an engine's cost model: Π / δ joins the dense tensor it meets as a view (no work). */
  | 'view'
  /** Under an engine's cost model: one kernel multiplies two dense tensors read through their views. */
  | 'fused';

export interface PlanStep extends PathStep {
  /** 1-based number in the table. */
  step: number;
  /** The step as an einsum in the named style, e.g. `n c i1, k1 o1 i1 -> n c k1 o1`. */
  einsum: string;
  kind: StepKind;
  /** FLOPs under the structured model (Π gathers, δ relabels). */
  structuredFlops: number;
  /** Elements the result stores: its nonzero bound if sparse, else its dense size. */
  resultStored: number;
  /** Original operand positions the result is made of. */
  tensors: number[];
}

export type ContractionTree =
  | { kind: 'leaf'; operand: number; legs: string[] }
  | { kind: 'step'; step: number; legs: string[]; children: ContractionTree[] };

export interface PathEvaluation {
  steps: PlanStep[];
  tree: ContractionTree;
  flops: number;
  structuredFlops: number;
  /** Largest step result in dense elements (opt_einsum's largest intermediate). */
  largestIntermediate: number;
  /** Largest step result in stored elements (nonzero bounds for sparse results). */
  largestStored: number;
}

/**
 * Walks a linear path under the cost model: per-step table, tree and totals. Groups of
 * one operand (the path of a single tensor) and of two are costed; longer groups are
 * costed as their pairwise contraction left to right, and their dense FLOPs follow
 * opt_einsum's formula for one multi-operand step.
 */
export function evaluatePath(problem: PlanProblem, path: LinearPath): PathEvaluation {
  let current: Node[] = [...problem.leaves];
  let trees: ContractionTree[] = problem.leaves.map((_, i) => ({
    kind: 'leaf',
    operand: i,
    legs: problem.operands[i],
  }));
  let members: number[][] = problem.leaves.map((_, i) => [i]);
  let order: string[][] = problem.operands.map((legs) => [...new Set(legs)]);
  const steps: PlanStep[] = [];
  const cost = newStepCost();
  let flops = 0;
  let structuredFlops = 0;
  let largest = 0;
  let largestStored = 0;
  for (const group of path) {
    if (
      !Array.isArray(group) ||
      group.length === 0 ||
      group.some((p) => !Number.isInteger(p) || p < 0 || p >= current.length) ||
      new Set(group).size !== group.length
    ) {
      fail(`invalid path step [${String(group)}] for ${current.length} operands`);
    }
    const kept = keptBits(problem, current, group);
    // Leg order: operands keep theirs, a result lists its inputs' legs in order of
    // appearance, and the last result is in the output's order.
    const keptNames = new Set(legNamesOf(problem, kept));
    const inputs = group.map((p) => order[p]);
    const unionNames = [...new Set(inputs.flat())];
    const result =
      path.length === steps.length + 1 && current.length === group.length
        ? problem.output.filter((l) => keptNames.has(l))
        : unionNames.filter((l) => keptNames.has(l));
    const summed = unionNames.filter((l) => !keptNames.has(l));
    let node: Node;
    let stepDense: number;
    let stepStructured: number;
    let kind: StepKind;
    if (group.length === 1) {
      // A single operand is costed as its contraction with a unit scalar, which gives
      // opt_einsum's ∏ × (2 if it sums) and the same rules for sparse operands.
      const a = current[group[0]];
      const unit = problem.unit;
      node = mergeNodes(problem, a, unit, kept);
      stepCost(problem, a, unit, node, cost);
      stepDense = cost.dense;
      stepStructured = cost.structured;
      kind = node.view ? 'view' : 'single';
    } else {
      // Fold pairwise; dense FLOPs of the whole group per opt_einsum (∏ union × terms).
      node = current[group[0]];
      stepStructured = 0;
      kind = 'dense';
      for (let j = 1; j < group.length; j++) {
        const b = current[group[j]];
        const rest = current.filter((_, p) => !group.slice(0, j + 1).includes(p));
        const partKept =
          j === group.length - 1 ? kept : keptBits(problem, [node, b, ...rest], [0, 1]);
        const r = mergeNodes(problem, node, b, partKept);
        stepCost(problem, node, b, r, cost);
        stepStructured += cost.structured;
        if (group.length === 2) kind = classify(node, b, r, cost);
        node = r;
      }
      let unionSize = 1;
      for (const l of unionNames) unionSize *= problem.sizes[l];
      stepDense = unionSize * (Math.max(1, group.length - 1) + (summed.length > 0 ? 1 : 0));
    }
    const joined = group.flatMap((p) => members[p]).sort((x, y) => x - y);
    const stepNumber = steps.length + 1;
    steps.push({
      step: stepNumber,
      operands: [...group],
      inputs,
      result,
      summed,
      flops: stepDense,
      resultSize: node.size,
      einsum: formatEquation(inputs, result, 'named'),
      kind,
      structuredFlops: stepStructured,
      resultStored: node.stored,
      tensors: joined,
    });
    flops += stepDense;
    structuredFlops += stepStructured;
    largest = Math.max(largest, node.size);
    largestStored = Math.max(largestStored, node.stored);
    const tree: ContractionTree = {
      kind: 'step',
      step: stepNumber,
      legs: result,
      children: group.map((p) => trees[p]),
    };
    current = [...current.filter((_, p) => !group.includes(p)), node];
    trees = [...trees.filter((_, p) => !group.includes(p)), tree];
    members = [...members.filter((_, p) => !group.includes(p)), joined];
    order = [...order.filter((_, p) => !group.includes(p)), result];
  }
  if (current.length !== 1) fail(`path leaves ${current.length} operands instead of 1`);
  return {
    steps,
    tree: trees[0],
    flops,
    structuredFlops,
    largestIntermediate: largest,
    largestStored,
  };
}

function classify(a: Node, b: Node, r: Node, cost: StepCost): StepKind {
  if (r.view) return 'view';
  if (!a.sparse && !b.sparse) return a.view || b.view ? 'fused' : 'dense';
  if (a.sparse && b.sparse) return 'sparse';
  if (cost.adds) return 'sparse-dense';
  if (r.size > cost.terms) return 'scatter';
  const s = a.sparse ? a : b;
  // A δ-only side (no pattern dependencies of three legs) renames or takes a diagonal.
  const deltaOnly = s.deps.every((d) => d.lhs.reduce((c, w) => c + popcount(w), 0) === 1);
  return deltaOnly ? 'relabel' : 'gather';
}

function popcount(w: number): number {
  let c = 0;
  while (w !== 0) {
    w &= w - 1;
    c++;
  }
  return c;
}
