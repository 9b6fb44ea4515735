import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import type { ContractionPlan } from './index.ts';

/**
 * Refuses a plan before anything is allocated when one of its intermediates would not
 * fit the memory budget: throws an EinsketchError naming the first such step (its number
 * and einsum) and its size in bytes. Sizes are recomputed from the network's index sizes,
 * so a plan made for another network of the same structure is judged on this one.
 * Returns the largest intermediate's size in bytes otherwise.
 */
export function checkMemoryBudget(
  plan: Pick<ContractionPlan, 'steps'>,
  network: Network,
  budgetBytes: number,
  bytesPerElement = 4,
): number {
  if (!(budgetBytes > 0)) fail(`memory budget must be a positive number of bytes, got ${budgetBytes}`);
  if (!(bytesPerElement > 0)) fail(`bytes per element must be positive, got ${bytesPerElement}`);
  const count = network.tensors.length;
  if (plan.steps.length !== Math.max(1, count - 1)) {
    fail(`the plan has ${plan.steps.length} steps but the network has ${count} tensors`);
  }
  let largest = 0;
  for (const step of plan.steps) {
    let elements = 1;
    for (const leg of step.result) {
      const size = network.sizes[leg];
      if (size === undefined) fail(`step ${step.step}: index '${leg}' is not in the network`);
      elements *= size;
    }
    const bytes = elements * bytesPerElement;
    if (bytes > budgetBytes) {
      fail(
        `step ${step.step}: ${step.einsum} makes an intermediate of ${formatBytes(bytes)} ` +
          `(${elements} elements × ${bytesPerElement} bytes), over the memory budget of ${formatBytes(budgetBytes)}`,
      );
    }
    largest = Math.max(largest, bytes);
  }
  return largest;
}

/** Bytes in binary units with three significant digits, e.g. '1.50 MiB (1572864 bytes)'. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value.toPrecision(3)} ${units[unit]} (${bytes} bytes)`;
}
