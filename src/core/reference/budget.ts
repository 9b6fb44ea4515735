import { fail } from '../errors.ts';
import { LIMITS, type Limits } from '../limits.ts';
import { patternRoleSize, type Network } from '../network.ts';
import { pathCost, type LinearPath } from '../planner/cost.ts';
import { formatBytes } from '../formatBytes.ts';

/**
 * What the float64 reference evaluator may spend on one network. It materialises every
 * tensor densely (Π and δ as 0/1 arrays) and visits every assignment of a step's indices,
 * so both its memory and its time follow the dense sizes of the path's steps.
 */
export interface ReferenceBudget {
  /** Bytes of float64 arrays alive at once (operands, intermediates, the result). */
  memoryBudgetBytes: number;
  /**
   * Multiply-adds of the whole contraction (Σ over steps of ∏ of the step's index sizes).
   * The loop does about 3·10⁷ a second on one core, so the default 2³² is a few minutes.
   */
  maxWork: number;
  /** Entries of one array (an input, an intermediate or the result). */
  maxElements: number;
}

export const REFERENCE_BYTES_PER_ELEMENT = 8;

export const DEFAULT_REFERENCE_BUDGET: ReferenceBudget = {
  memoryBudgetBytes: 2 ** 30,
  maxWork: 2 ** 32,
  maxElements: LIMITS.maxElements,
};

export function referenceBudget(
  options: Partial<ReferenceBudget> = {},
  limits: Limits = LIMITS,
): ReferenceBudget {
  const budget = { ...DEFAULT_REFERENCE_BUDGET, maxElements: limits.maxElements, ...options };
  if (!(budget.memoryBudgetBytes > 0))
    fail(`memory budget must be a positive number of bytes, got ${budget.memoryBudgetBytes}`);
  if (!(budget.maxWork > 0))
    fail(`work limit must be a positive number of multiply-adds, got ${budget.maxWork}`);
  return budget;
}

export interface ReferenceCost {
  /** Largest number of bytes alive at once. */
  peakBytes: number;
  /** Multiply-adds of the whole contraction. */
  work: number;
}

function entries(legs: readonly string[], sizes: Readonly<Record<string, number>>): number {
  let n = 1;
  for (const leg of legs) n *= sizes[leg] ?? 1;
  return n;
}

function shapeText(legs: readonly string[], sizes: Readonly<Record<string, number>>): string {
  return `[${legs.map((leg) => sizes[leg] ?? 1).join(', ')}]`;
}

function refusals(net: Network, budget: ReferenceBudget) {
  const { sizes } = net;
  return {
    over(where: string, legs: readonly string[], n: number, live: number): never {
      fail(
        `reference evaluator: memory budget of ${formatBytes(budget.memoryBudgetBytes)} exceeded at ${where}: it allocates ` +
          `${shapeText(legs, sizes)} = ${n} float64 values (${formatBytes(n * REFERENCE_BYTES_PER_ELEMENT)}), ${formatBytes(live)} alive in total`,
      );
    },
    tooMany(where: string, legs: readonly string[], n: number): never {
      fail(
        `reference evaluator: ${where} makes ${shapeText(legs, sizes)} = ${n} entries; the limit is ${budget.maxElements}`,
      );
    },
  };
}

/**
 * What any path needs: every tensor, Π and δ included, materialised densely before the
 * first step, and the result at the end. Refuses like checkReferencePath; returns the
 * bytes of the materialised tensors.
 */
export function checkReferenceOperands(
  net: Network,
  budget: ReferenceBudget = DEFAULT_REFERENCE_BUDGET,
): number {
  const { over, tooMany } = refusals(net, budget);
  let live = 0;
  for (const t of net.tensors) {
    // A Π is built at its full [k, o, i] size before any kept positions are selected.
    const n =
      t.kind === 'index_pattern'
        ? t.roles.reduce((p, role) => p * patternRoleSize(t.pattern, role), 1)
        : entries(t.legs, net.sizes);
    const what = `materialising tensor ${t.label}`;
    if (n > budget.maxElements) tooMany(what, t.legs, n);
    live += n * REFERENCE_BYTES_PER_ELEMENT;
    if (live > budget.memoryBudgetBytes) over(what, t.legs, n, live);
  }
  const n = entries(net.output, net.sizes);
  if (n > budget.maxElements) tooMany('producing the result', net.output, n);
  if (n * REFERENCE_BYTES_PER_ELEMENT > budget.memoryBudgetBytes)
    over('producing the result', net.output, n, n * REFERENCE_BYTES_PER_ELEMENT);
  return live;
}

/**
 * Walks `path` on shapes alone and refuses (EinsketchError, one line naming the step and
 * the size) when an array would exceed the entry limit, the arrays alive at once the
 * memory budget, or the whole contraction the work limit. Nothing is allocated.
 */
export function checkReferencePath(
  net: Network,
  path: LinearPath,
  budget: ReferenceBudget = DEFAULT_REFERENCE_BUDGET,
): ReferenceCost {
  const { sizes } = net;
  const bytesOf = (n: number) => n * REFERENCE_BYTES_PER_ELEMENT;
  const { over, tooMany } = refusals(net, budget);

  let current = net.tensors.map((t) => [...t.legs]);
  let live = checkReferenceOperands(net, budget);
  let peak = live;
  const cost = pathCost(current, net.output, sizes, path);
  let work = 0;
  let heaviest = { work: 0, where: '' };
  cost.steps.forEach((step, s) => {
    const where = `path step ${s + 1} of ${path.length}, contracting operands [${step.operands.join(', ')}] (${step.inputs.map((l) => l.join(' ')).join(', ')} -> ${step.result.join(' ')})`;
    if (step.resultSize > budget.maxElements) tooMany(where, step.result, step.resultSize);
    live += bytesOf(step.resultSize);
    if (live > budget.memoryBudgetBytes) over(where, step.result, step.resultSize, live);
    peak = Math.max(peak, live);
    for (const p of step.operands) live -= bytesOf(entries(current[p], sizes));
    current = current.filter((_, p) => !step.operands.includes(p));
    current.push(step.result);
    const stepWork = entries([...new Set(step.inputs.flat())], sizes);
    work += stepWork;
    if (stepWork > heaviest.work) heaviest = { work: stepWork, where };
  });
  // Whatever the path leaves is summed and permuted into the output in one last pass.
  if (current.length !== 1 || current[0].join(' ') !== net.output.join(' ')) {
    const n = entries(net.output, sizes);
    if (n > budget.maxElements) tooMany('producing the result', net.output, n);
    live += bytesOf(n);
    if (live > budget.memoryBudgetBytes) over('producing the result', net.output, n, live);
    peak = Math.max(peak, live);
    const finalWork = entries([...new Set([...current.flat(), ...net.output])], sizes);
    work += finalWork;
    if (finalWork > heaviest.work) heaviest = { work: finalWork, where: 'producing the result' };
  }
  if (work > budget.maxWork) {
    fail(
      `reference evaluator: the contraction takes ${work.toPrecision(3)} multiply-adds, over the limit of ${budget.maxWork.toPrecision(3)}; ` +
        `the largest is ${heaviest.where} with ${heaviest.work.toPrecision(3)}`,
    );
  }
  return { peakBytes: peak, work };
}
