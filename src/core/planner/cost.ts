import { fail } from '../errors.ts';

/**
 * Costs of a contraction path in opt_einsum's conventions, with every tensor costed as
 * dense: a pairwise contraction costs ∏(sizes of all its indices), twice that when it
 * sums an index. A linear path lists position pairs into the current operand list; the
 * pair is removed and its result appended.
 */

export type LinearPath = number[][];

export interface PathStep {
  operands: number[];
  /** Index lists of the contracted operands. */
  inputs: string[][];
  /** Indices of the result. */
  result: string[];
  /** Indices summed in this step. */
  summed: string[];
  flops: number;
  resultSize: number;
}

export interface PathCost {
  flops: number;
  largestIntermediate: number;
  steps: PathStep[];
}

function sizeOf(indices: Iterable<string>, sizes: Readonly<Record<string, number>>): number {
  let s = 1;
  for (const i of indices) s *= sizes[i];
  return s;
}

/** Indices a contraction of `group` keeps: those on other operands or in the output. */
export function keptIndices(
  operands: readonly (readonly string[])[],
  group: readonly number[],
  output: readonly string[],
): string[] {
  const needed = new Set(output);
  operands.forEach((legs, pos) => {
    if (!group.includes(pos)) for (const leg of legs) needed.add(leg);
  });
  const kept: string[] = [];
  for (const pos of group) {
    for (const leg of operands[pos]) if (needed.has(leg) && !kept.includes(leg)) kept.push(leg);
  }
  return kept;
}

export function pathCost(
  operands: readonly (readonly string[])[],
  output: readonly string[],
  sizes: Readonly<Record<string, number>>,
  path: LinearPath,
): PathCost {
  let current = operands.map((legs) => [...legs]);
  const steps: PathStep[] = [];
  let flops = 0;
  let largest = 0;
  for (const group of path) {
    if (
      group.length === 0 ||
      group.some((p) => p < 0 || p >= current.length) ||
      new Set(group).size !== group.length
    ) {
      fail(`invalid path step [${group.join(', ')}] for ${current.length} operands`);
    }
    const inputs = group.map((p) => current[p]);
    const union = [...new Set(inputs.flat())];
    const result = keptIndices(current, group, output);
    const summed = union.filter((i) => !result.includes(i));
    const terms = Math.max(1, group.length - 1) + (summed.length > 0 ? 1 : 0);
    const stepFlops = sizeOf(union, sizes) * terms;
    const resultSize = sizeOf(result, sizes);
    flops += stepFlops;
    largest = Math.max(largest, resultSize);
    steps.push({ operands: [...group], inputs, result, summed, flops: stepFlops, resultSize });
    current = current.filter((_, p) => !group.includes(p));
    current.push(result);
  }
  if (current.length !== 1) fail(`path leaves ${current.length} operands instead of 1`);
  return { flops, largestIntermediate: largest, steps };
}

/** Contract left to right in operand order: [[0, 1], [0, 1], …]. */
export function sequentialPath(count: number): LinearPath {
  if (count <= 1) return count === 1 ? [[0]] : [];
  return Array.from({ length: count - 1 }, () => [0, 1]);
}
