import { type PatternParams, type PatternRole } from '../../core/network.ts';
import type { ValueId } from '../program.ts';

/**
 * The operands of a lowering: what a network tensor, or the result of a contraction step, is
 * while it is still symbolic (Π by its hyper-parameters, δ by its legs, a gather as a view).
 */

export interface DenseOp {
  kind: 'dense';
  value: ValueId;
  legs: string[];
}

/** view[free source legs…, newLegs…] = source[group ← table[newLegs…], free…] (0 where −1). */
export interface ViewOp {
  kind: 'view';
  source: ValueId;
  sourceShape: number[];
  /** Name of each source axis; undefined for the axes in the group. */
  sourceNames: (string | undefined)[];
  group: number[];
  newLegs: string[];
  table: Int32Array;
}

export interface PatternOp {
  kind: 'pattern';
  params: PatternParams;
  legs: string[];
  roles: PatternRole[];
  /** Kept positions of thinned roles (tensor dropout). */
  keep?: Partial<Record<PatternRole, number[]>>;
}

export interface DeltaOp {
  kind: 'delta';
  legs: string[];
}

export interface ScalarOp {
  kind: 'scalar';
}

/**
 * A product of index patterns, kept unevaluated, with the legs in `summed` summed over:
 * Π₁·Π₂ (an outer product) or Σ_o Π·Π′ (KFC's two copies sharing o) has few nonzeros but
 * as a dense array would be ∏ K·O·I. Contracted with a dense tensor it becomes one gather
 * per factor, composed into one table (Π′ maps (k′, i′) to o, Π maps (k, o) to i).
 */
export interface PatternsOp {
  kind: 'patterns';
  factors: PatternOp[];
  /** Legs shared by factors and summed inside the product (not visible outside). */
  summed: string[];
}

export type Operand = DenseOp | ViewOp | PatternOp | PatternsOp | DeltaOp | ScalarOp;
export type PatternLike = PatternOp | PatternsOp;

export const factorsOf = (op: PatternLike): PatternOp[] =>
  op.kind === 'pattern' ? [op] : op.factors;
export const isPatternLike = (op: Operand): op is PatternLike =>
  op.kind === 'pattern' || op.kind === 'patterns';

export function legsOf(op: Operand): string[] {
  switch (op.kind) {
    case 'dense':
    case 'pattern':
    case 'delta':
      return op.legs;
    case 'view':
      return [...freeLegs(op), ...op.newLegs];
    case 'patterns':
      return [...new Set(op.factors.flatMap((f) => f.legs))].filter((l) => !op.summed.includes(l));
    case 'scalar':
      return [];
  }
}

export function freeLegs(v: ViewOp): string[] {
  return v.sourceNames.filter((n): n is string => n !== undefined);
}

export const isIdentityPerm = (perm: readonly number[]) => perm.every((p, a) => p === a);

/** False if the permutation only moves size-1 axes: then the row-major data stays as it is. */
export function permMovesData(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return !moved.every((p, a) => a === 0 || p > moved[a - 1]);
}
