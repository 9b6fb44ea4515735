import { parseEinsum } from '../einsum/parseEinsum.ts';
import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import { ALGORITHMS, ALGORITHM_NAMES } from './algorithms.ts';
import { chooseAlgorithm } from './auto.ts';
import type { LinearPath } from './cost.ts';
import { evaluatePath, type ContractionTree, type PathEvaluation, type PlanStep } from './path.ts';
import {
  problemFromNetwork,
  problemFromOperands,
  type CostModel,
  type PlanObjective,
  type PlanProblem,
} from './problem.ts';
import {
  DEFAULT_SEARCH,
  type ConcreteAlgorithm,
  type MemoryMeasure,
  type PlanAlgorithm,
  type SearchOptions,
} from './search.ts';

export type { LinearPath, PathStep, PathCost } from './cost.ts';
export { pathCost, keptIndices, sequentialPath } from './cost.ts';
export type { ContractionTree, PathEvaluation, PlanStep, StepKind, SsaPath } from './path.ts';
export { evaluatePath, linearToSsa, ssaToLinear } from './path.ts';
export type { CostModel, PlanObjective, PlanProblem } from './problem.ts';
export { problemFromNetwork, problemFromOperands } from './problem.ts';
export type {
  ConcreteAlgorithm,
  MemoryMeasure,
  PathAlgorithm,
  PlanAlgorithm,
  SearchOptions,
} from './search.ts';
export { ALGORITHMS, ALGORITHM_NAMES } from './algorithms.ts';
export { AUTO_BRANCH_MAX, AUTO_OPTIMAL_MAX, chooseAlgorithm } from './auto.ts';
export { MAX_OPTIMAL_OPERANDS } from './optimal.ts';
export { checkMemoryBudget } from './memoryBudget.ts';

export interface PlanOptions {
  /** Search algorithm; 'auto' (default) picks by network size. */
  algorithm?: PlanAlgorithm;
  /**
   * What the search minimises first: 'structured' (default) costs Π contractions as
   * gathers and δ as relabels; 'dense' is opt_einsum's FLOP count. The other cost breaks
   * ties, and both are always reported.
   */
  objective?: PlanObjective;
  /**
   * Largest intermediate allowed (every step's result), in elements as memoryMeasure
   * counts them. Paths that break it are not considered; if none is left, planning
   * throws an EinsketchError naming the step and its size.
   */
  memoryLimit?: number;
  /**
   * 'stored' (default with the structured objective) counts an intermediate made only of
   * Π / δ by its nonzeros, as the structured model stores it; 'dense' (default with the
   * dense objective) counts every intermediate densely.
   */
  memoryMeasure?: MemoryMeasure;
  /** Time the anytime searches (branch-bound, random-greedy) may take; default 100 ms. */
  timeBudgetMs?: number;
  /** Seed of random-greedy; default 1. */
  seed?: number;
  /**
   * How the engine that runs the plan executes a step (e.g. the generated WebGPU kernels'
   * fused products), for the structured objective; default: every step materialises its result.
   */
  costModel?: CostModel;
}

export interface ContractionPlan {
  /** The algorithm that produced the path ('auto' resolved to the one it picked). */
  algorithm: PlanAlgorithm;
  /** The algorithm asked for. */
  requested: PlanAlgorithm;
  objective: PlanObjective;
  /** How memoryLimit (and checkMemoryBudget by default) counts an intermediate. */
  memoryMeasure: MemoryMeasure;
  /** opt_einsum's linear format: position pairs into the current operand list. */
  path: LinearPath;
  tree: ContractionTree;
  steps: PlanStep[];
  /** FLOPs with every tensor costed as dense (opt_einsum's convention). */
  flops: number;
  /** FLOPs with Π contractions as gathers and δ as relabels. */
  structuredFlops: number;
  /** Largest step result, dense elements. */
  largestIntermediate: number;
  /** Largest step result, stored elements (nonzero bounds of sparse results). */
  largestStored: number;
  /** The cost model's name, when an engine supplied one. */
  costModel?: string;
}

/** Contraction plan of a network (Π and δ tensors are known to be sparse). */
export function planNetwork(net: Network, options: PlanOptions = {}): ContractionPlan {
  return planProblem(
    problemFromNetwork(net, options.objective ?? 'structured', options.costModel),
    options,
  );
}

/** Plan of plain dense operands; the objective defaults to dense FLOPs. */
export function planOperands(
  operands: readonly (readonly string[])[],
  output: readonly string[],
  sizes: Readonly<Record<string, number>>,
  options: PlanOptions = {},
): ContractionPlan {
  return planProblem(
    problemFromOperands(operands, output, sizes, options.objective ?? 'dense'),
    options,
  );
}

/** Plan of an einsum (either style) with one shape per operand; all operands dense. */
export function planEinsum(
  equation: string,
  shapes: readonly (readonly number[])[],
  options: PlanOptions = {},
): ContractionPlan {
  const net = parseEinsum(equation, shapes);
  return planOperands(
    net.tensors.map((t) => t.legs),
    net.output,
    net.sizes,
    options,
  );
}

/** Costs, steps and tree of a given path (e.g. one chosen in the editor). */
export function costOfPath(
  net: Network,
  path: LinearPath,
  objective: PlanObjective = 'structured',
  costModel?: CostModel,
): PathEvaluation {
  return evaluatePath(problemFromNetwork(net, objective, costModel), path);
}

function searchOptions(options: PlanOptions, objective: PlanObjective): SearchOptions {
  const { memoryLimit, memoryMeasure, timeBudgetMs, seed } = options;
  if (memoryMeasure !== undefined && memoryMeasure !== 'stored' && memoryMeasure !== 'dense') {
    fail(`memory measure must be 'stored' or 'dense', got '${String(memoryMeasure)}'`);
  }
  if (memoryLimit !== undefined && !(memoryLimit > 0))
    fail(`memory limit must be a positive number of elements, got ${memoryLimit}`);
  if (timeBudgetMs !== undefined && !(timeBudgetMs >= 0))
    fail(`time budget must be a non-negative number of milliseconds, got ${timeBudgetMs}`);
  if (seed !== undefined && !Number.isInteger(seed)) fail(`seed must be an integer, got ${seed}`);
  return {
    memoryLimit: memoryLimit ?? DEFAULT_SEARCH.memoryLimit,
    memoryMeasure: memoryMeasure ?? (objective === 'dense' ? 'dense' : 'stored'),
    timeBudgetMs: timeBudgetMs ?? DEFAULT_SEARCH.timeBudgetMs,
    seed: seed ?? DEFAULT_SEARCH.seed,
  };
}

export function planProblem(problem: PlanProblem, options: PlanOptions = {}): ContractionPlan {
  const requested = options.algorithm ?? 'auto';
  if (!ALGORITHM_NAMES.includes(requested)) {
    fail(`unknown planner algorithm '${String(requested)}' (known: ${ALGORITHM_NAMES.join(', ')})`);
  }
  const search = searchOptions(options, problem.objective);
  const n = problem.leaves.length;
  if (n === 0) fail('nothing to contract: the network has no tensors');
  const used: ConcreteAlgorithm = requested === 'auto' ? chooseAlgorithm(problem) : requested;
  // The result is dense unless the whole network is Π / δ: then only 'dense' counts it so.
  const resultSize = problem.output.reduce((p, leg) => p * problem.sizes[leg], 1);
  const resultDense =
    search.memoryMeasure === 'dense' || problem.leaves.some((leaf) => !leaf.sparse);
  if (resultDense && resultSize > search.memoryLimit) {
    fail(
      `the result [${problem.output.join(' ')}] alone has ${resultSize} elements, over the memory limit of ${search.memoryLimit}`,
    );
  }
  const path = ALGORITHMS[used](problem, search) ?? memoryFailure(problem, used, search);
  const ev = evaluatePath(problem, path);
  return {
    algorithm: used,
    requested,
    objective: problem.objective,
    memoryMeasure: search.memoryMeasure,
    path,
    tree: ev.tree,
    steps: ev.steps,
    flops: ev.flops,
    structuredFlops: ev.structuredFlops,
    largestIntermediate: ev.largestIntermediate,
    largestStored: ev.largestStored,
    ...(problem.costModel ? { costModel: problem.costModel.name } : {}),
  };
}

/** No path fits the memory limit: name the step of the best unlimited path that breaks it. */
function memoryFailure(
  problem: PlanProblem,
  used: ConcreteAlgorithm,
  search: SearchOptions,
): never {
  const unlimited = ALGORITHMS[used](problem, { ...search, memoryLimit: Infinity });
  const elements = (s: PlanStep) =>
    search.memoryMeasure === 'dense' ? s.resultSize : s.resultStored;
  const step =
    unlimited &&
    evaluatePath(problem, unlimited).steps.find((s) => elements(s) > search.memoryLimit);
  const how =
    used === 'optimal'
      ? 'no contraction order'
      : `the ${used} search found no contraction order that`;
  if (!step) fail(`${how} keeps every intermediate within ${search.memoryLimit} elements`);
  fail(
    `${how} keeps every intermediate within ${search.memoryLimit} elements: ` +
      `the cheapest order without the limit needs step ${step.step}: ${step.einsum} with ${elements(step)} elements`,
  );
}
