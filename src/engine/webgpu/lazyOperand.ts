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
 * already folded into renames and the scale, disappear. `hostOf[t]` is the attached operand
 * that operand t went into (undefined for deltas and scalars).
 */
export function attachPatterns(operands: Lazy[]): {
  attached: Lazy[];
  hostOf: (number | undefined)[];
} {
  const hosts: Lazy[] = [];
  const hostOf: (number | undefined)[] = operands.map(() => undefined);
  operands.forEach((op, t) => {
    if (!op.dense) return;
    hostOf[t] = hosts.length;
    hosts.push({ ...op, patterns: [...op.patterns], internal: new Set(op.internal) });
  });
  const loose = operands.flatMap((op, t) => (!op.dense && op.patterns.length ? [t] : []));
  if (!hosts.length) {
    if (!loose.length) return { attached: [], hostOf };
    for (const t of loose) hostOf[t] = 0;
    const ops = loose.map((t) => operands[t]);
    return {
      attached: [
        {
          patterns: ops.flatMap((op) => op.patterns),
          internal: new Set(ops.flatMap((op) => [...op.internal])),
        },
      ],
      hostOf,
    };
  }
  for (const t of loose) {
    const op = operands[t];
    const p = op.patterns[0];
    const h = (['i', 'o', 'k'] as const)
      .map((r) => hosts.findIndex((host) => host.dense!.legs.includes(p.legs[r])))
      .find((k) => k >= 0);
    const host = hosts[h ?? 0];
    hostOf[t] = h ?? 0;
    host.patterns.push(...op.patterns);
    for (const l of op.internal) host.internal.add(l);
  }
  return { attached: hosts, hostOf };
}
