import type { PatternParams, PatternRole } from '../core/network.ts';
import { rowMajorStrides } from '../core/tensor.ts';

/**
 * Index arithmetic on host arrays. Π[k, o, i] = 1 iff i = k·D + o·S − P_left (0 ≤ i < I),
 * so any two of its legs determine the third or say there is no entry: contracting Π with
 * a dense tensor over one leg is a gather with an index table over the other two legs,
 * and a chain of such gathers composes into one table (docs/design.md §2.1).
 */

/** Value of leg `target` of Π given the values of its other two legs, or −1 for no entry. */
export function patternSolve(
  p: PatternParams,
  target: PatternRole,
  k: number,
  o: number,
  i: number,
): number {
  switch (target) {
    case 'i': {
      const v = k * p.dilation + o * p.stride - p.padLeft;
      return v >= 0 && v < p.inputSize ? v : -1;
    }
    case 'o': {
      const num = i + p.padLeft - k * p.dilation;
      if (num < 0 || num % p.stride !== 0) return -1;
      const v = num / p.stride;
      return v < p.outputSize ? v : -1;
    }
    case 'k': {
      const num = i + p.padLeft - o * p.stride;
      if (num < 0 || num % p.dilation !== 0) return -1;
      const v = num / p.dilation;
      return v < p.kernelSize ? v : -1;
    }
  }
}

/**
 * A gathered view of a dense source: view[newLegs…, free source legs…] =
 * source[group axes = decode(table[newLegs…]), free axes…], zero where the table holds −1.
 */
export interface TableSpec {
  /** Sizes of the group's source axes, in group order. */
  groupSizes: number[];
  /** Sizes of the new legs, in table order. */
  newSizes: number[];
  /** Row-major over newSizes; flat row-major index into groupSizes, or −1. */
  table: Int32Array;
}

/**
 * Substitutes Π into a view: the leg `target` of Π (which the view carries, either as a new
 * leg or as a free source axis) becomes a function of Π's other two legs.
 *
 * Legs are given by name. `oldNew`/`oldGroup` describe the current table (group entries
 * are source axis positions); `freeLegs` maps the view's free source axes (position →
 * name) so Π legs that are free source axes can join the group.
 */
export function composeTable(args: {
  p: PatternParams;
  /** Π's legs and roles. */
  legs: readonly string[];
  roles: readonly PatternRole[];
  target: string;
  sizes: Readonly<Record<string, number>>;
  oldNew: readonly string[];
  oldGroup: readonly number[];
  oldTable: Int32Array;
  sourceShape: readonly number[];
  /** Name of each source axis that is not in the group (undefined for group axes). */
  sourceNames: readonly (string | undefined)[];
  newLegs: readonly string[];
  newGroup: readonly number[];
  /** Positions of the full pattern a thinned leg keeps (tensor dropout), by role. */
  keep?: Partial<Record<PatternRole, readonly number[]>>;
}): Int32Array {
  const {
    p,
    legs,
    roles,
    target,
    sizes,
    oldNew,
    oldGroup,
    oldTable,
    sourceShape,
    sourceNames,
    newLegs,
    newGroup,
    keep,
  } = args;
  const newSizes = newLegs.map((l) => sizes[l]);
  const total = newSizes.reduce((a, b) => a * b, 1);
  const out = new Int32Array(total);
  const targetRole = roles[legs.indexOf(target)];
  // Where Π's k, o, i values come from: a new leg of the result (by position), or the target.
  const roleSource = (role: PatternRole): number => {
    const name = legs[roles.indexOf(role)];
    return name === target ? -1 : newLegs.indexOf(name);
  };
  const kAt = roleSource('k');
  const oAt = roleSource('o');
  const iAt = roleSource('i');
  // For each old new leg: position in the result's new legs, or −1 when it is the target.
  const oldFrom = oldNew.map((l) => (l === target ? -1 : newLegs.indexOf(l)));
  const oldStrides = rowMajorStrides(oldNew.map((l) => sizes[l]));
  const oldGroupSizes = oldGroup.map((a) => sourceShape[a]);
  const oldGroupStrides = rowMajorStrides(oldGroupSizes);
  const newGroupStrides = rowMajorStrides(newGroup.map((a) => sourceShape[a]));
  // For each axis of the new group: where its value comes from.
  type From = { kind: 'old'; at: number } | { kind: 'target' } | { kind: 'leg'; at: number };
  const groupFrom: From[] = newGroup.map((axis) => {
    const inOld = oldGroup.indexOf(axis);
    if (inOld >= 0) return { kind: 'old', at: inOld };
    const name = sourceNames[axis];
    if (name === target) return { kind: 'target' };
    return { kind: 'leg', at: newLegs.indexOf(name!) };
  });
  // A thinned leg's value v stands for position keep[v] of the full pattern, and the
  // target's solved position must be one of its kept ones.
  const kKeep = keep?.k;
  const oKeep = keep?.o;
  const iKeep = keep?.i;
  const targetKeep = keep?.[targetRole];
  let inverse: Int32Array | undefined;
  if (targetKeep) {
    const full =
      targetRole === 'k' ? p.kernelSize : targetRole === 'o' ? p.outputSize : p.inputSize;
    inverse = new Int32Array(full).fill(-1);
    targetKeep.forEach((pos, v) => {
      inverse![pos] = v;
    });
  }
  const counter = new Array<number>(newLegs.length).fill(0);
  const oldGroupValues = new Array<number>(oldGroup.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    const k = kAt >= 0 ? (kKeep ? kKeep[counter[kAt]] : counter[kAt]) : 0;
    const o = oAt >= 0 ? (oKeep ? oKeep[counter[oAt]] : counter[oAt]) : 0;
    const i = iAt >= 0 ? (iKeep ? iKeep[counter[iAt]] : counter[iAt]) : 0;
    let t = patternSolve(p, targetRole, k, o, i);
    if (t >= 0 && inverse) t = inverse[t];
    let entry = -1;
    if (t >= 0) {
      let oldFlat = 0;
      for (let a = 0; a < oldNew.length; a++)
        oldFlat += (oldFrom[a] < 0 ? t : counter[oldFrom[a]]) * oldStrides[a];
      const old = oldTable[oldFlat];
      if (old >= 0) {
        let rest = old;
        for (let a = 0; a < oldGroup.length; a++) {
          oldGroupValues[a] = Math.floor(rest / oldGroupStrides[a]);
          rest -= oldGroupValues[a] * oldGroupStrides[a];
        }
        entry = 0;
        for (let a = 0; a < newGroup.length; a++) {
          const f = groupFrom[a];
          const v =
            f.kind === 'old' ? oldGroupValues[f.at] : f.kind === 'target' ? t : counter[f.at];
          entry += v * newGroupStrides[a];
        }
      }
    }
    out[flat] = entry;
    for (let a = newLegs.length - 1; a >= 0; a--) {
      if (++counter[a] < newSizes[a]) break;
      counter[a] = 0;
    }
  }
  return out;
}

/** The same table with its axes reordered: result axis a is old axis perm[a]. */
export function permuteTable(
  table: Int32Array,
  shape: readonly number[],
  perm: readonly number[],
): Int32Array {
  if (perm.every((p, a) => p === a)) return table;
  const oldStrides = rowMajorStrides(shape);
  const newShape = perm.map((p) => shape[p]);
  const stridesInOld = perm.map((p) => oldStrides[p]);
  const out = new Int32Array(table.length);
  const counter = new Array<number>(perm.length).fill(0);
  let src = 0;
  for (let flat = 0; flat < table.length; flat++) {
    out[flat] = table[src];
    for (let a = perm.length - 1; a >= 0; a--) {
      counter[a]++;
      src += stridesInOld[a];
      if (counter[a] < newShape[a]) break;
      src -= stridesInOld[a] * newShape[a];
      counter[a] = 0;
    }
  }
  return out;
}

/** True if the table is the identity map onto a group of `groupSize` entries. */
export function isIdentityTable(table: Int32Array, groupSize: number): boolean {
  if (table.length !== groupSize) return false;
  for (let j = 0; j < table.length; j++) if (table[j] !== j) return false;
  return true;
}
