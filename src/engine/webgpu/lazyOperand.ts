import type { ValueId } from '../program.ts';
import { ROLES, type PatternFactor } from './kernelSpec.ts';

/**
 * The operands the kernel lowering walks the contraction path with: a data tensor (a
 * strided view of a program value) with the index patterns that ride on it lazily, until a
 * step multiplies two data tensors and one kernel reads both through their patterns.
 */

export interface DenseRef {
  value: ValueId;
  legs: string[];
  strides: number[];
  offset: number;
}

/** An operand of the path: at most one data tensor, with the patterns that ride on it. */
export interface Lazy {
  dense?: DenseRef;
  patterns: PatternFactor[];
  /** Legs summed inside this operand (nothing outside it has them). */
  internal: Set<string>;
}

export function legsOfLazy(op: Lazy): string[] {
  const all = [
    ...(op.dense?.legs ?? []),
    ...op.patterns.flatMap((p) => ROLES.map((r) => p.legs[r])),
  ];
  return [...new Set(all)].filter((l) => !op.internal.has(l));
}

export function allLegs(op: Lazy): string[] {
  return [
    ...new Set([
      ...(op.dense?.legs ?? []),
      ...op.patterns.flatMap((p) => ROLES.map((r) => p.legs[r])),
    ]),
  ];
}

/**
 * Each index pattern joins a data tensor: the one with its input leg i, else its output
 * leg o, else its kernel leg k (the data it gathers from), else any. Deltas and scalars,
 * already folded into renames and the scale, disappear.
 */
export function attachPatterns(operands: Lazy[]): Lazy[] {
  const hosts = operands
    .filter((op) => op.dense)
    .map((op) => ({ ...op, patterns: [...op.patterns], internal: new Set(op.internal) }));
  const loose = operands.filter((op) => !op.dense && op.patterns.length);
  if (!hosts.length) {
    if (!loose.length) return [];
    return [
      {
        patterns: loose.flatMap((op) => op.patterns),
        internal: new Set(loose.flatMap((op) => [...op.internal])),
      },
    ];
  }
  for (const op of loose) {
    const p = op.patterns[0];
    const host =
      (['i', 'o', 'k'] as const)
        .map((r) => hosts.find((h) => h.dense!.legs.includes(p.legs[r])))
        .find((h) => h !== undefined) ?? hosts[0];
    host.patterns.push(...op.patterns);
    for (const l of op.internal) host.internal.add(l);
  }
  return hosts;
}
