import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import type { LinearPath } from './cost.ts';
import { evaluatePath } from './path.ts';
import { problemFromNetwork, type PlanObjective } from './problem.ts';
import type { MemoryMeasure } from './search.ts';
import { formatBytes } from '../formatBytes.ts';

/**
 * Refuses a plan before anything is allocated when one of its intermediates would not
 * fit the memory budget: throws an EinsketchError naming the first such step (its number
 * and einsum) and its size in bytes. The steps are re-walked on `network`, so the sizes
 * are this network's even if the plan was made for another one of the same structure.
 *
 * An intermediate is counted as the plan's memory measure counts it unless `measure`
 * says otherwise: 'stored' takes an intermediate made only of Π / δ at its nonzeros (an
 * engine that keeps such products as gather indices), 'dense' takes every intermediate
 * at its dense size (an engine that materialises them as 0/1 tensors). Returns the
 * largest intermediate's size in bytes.
 */
export function checkMemoryBudget(
  plan: { path: LinearPath; objective?: PlanObjective; memoryMeasure?: MemoryMeasure },
  network: Network,
  budgetBytes: number,
  bytesPerElement = 4,
  measure: MemoryMeasure = plan.memoryMeasure ?? 'stored',
): number {
  if (!(budgetBytes > 0))
    fail(`memory budget must be a positive number of bytes, got ${budgetBytes}`);
  if (!(bytesPerElement > 0)) fail(`bytes per element must be positive, got ${bytesPerElement}`);
  const { steps } = evaluatePath(
    problemFromNetwork(network, plan.objective ?? 'structured'),
    plan.path,
  );
  let largest = 0;
  for (const step of steps) {
    const elements = measure === 'dense' ? step.resultSize : step.resultStored;
    const bytes = elements * bytesPerElement;
    if (bytes > budgetBytes) {
      fail(
        `step ${step.step}: ${step.einsum} makes an intermediate of ${formatBytes(bytes)} (${bytes} bytes) ` +
          `(${elements} elements × ${bytesPerElement} bytes), over the memory budget of ${formatBytes(budgetBytes)}`,
      );
    }
    largest = Math.max(largest, bytes);
  }
  return largest;
}
