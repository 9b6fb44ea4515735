import type { Network } from '../../core/network.ts';
import { isShortSum, sizeOf, type ValueId } from '../program.ts';
import { ProgramValues } from '../programValues.ts';
import { isIdentityPerm, permMovesData } from './operands.ts';

export interface LowerOptions {
  /** Largest index table (entries) a view may carry before it is materialised instead. */
  tableLimit?: number;
}

const DEFAULT_TABLE_LIMIT = 1 << 22;

/**
 * The program being built: its values with their shapes, constants and instructions, one
 * emitter per tfjs-shaped instruction (each checks and records the shape it produces).
 */
export class ProgramBuilder extends ProgramValues {
  scale = 1;
  protected readonly tableLimit: number;

  constructor(
    readonly net: Network,
    inputShapes: Readonly<Record<string, readonly number[]>>,
    options: LowerOptions,
  ) {
    super(inputShapes);
    this.tableLimit = options.tableLimit ?? DEFAULT_TABLE_LIMIT;
  }

  get sizes(): Readonly<Record<string, number>> {
    return this.net.sizes;
  }

  shapeOfLegs(legs: readonly string[]): number[] {
    return legs.map((l) => this.sizes[l]);
  }

  shape(v: ValueId): number[] {
    return this.values[v].shape;
  }

  // ---- instruction emitters --------------------------------------------------------

  reshape(x: ValueId, shape: readonly number[]): ValueId {
    const cur = this.shape(x);
    if (cur.length === shape.length && cur.every((s, a) => s === shape[a])) return x;
    const out = this.value(shape, this.values[x].dtype);
    this.instrs.push({ op: 'reshape', x, out });
    return out;
  }

  transpose(x: ValueId, perm: readonly number[]): ValueId {
    const cur = this.shape(x);
    const shape = perm.map((p) => cur[p]);
    if (isIdentityPerm(perm)) return x;
    if (!permMovesData(cur, perm)) return this.reshape(x, shape);
    // The smallest equivalent transpose: drop size-1 axes and merge runs of axes that stay
    // next to each other (tfjs-webgpu kernels take at most rank 6, and fewer axes index faster).
    const nonUnitAxes = cur.flatMap((size, a) => (size === 1 ? [] : [a]));
    const squeezed = this.reshape(
      x,
      nonUnitAxes.map((a) => cur[a]),
    );
    const sq = this.shape(squeezed);
    const p2 = perm.filter((p) => cur[p] !== 1).map((p) => nonUnitAxes.indexOf(p));
    const runs: number[][] = [];
    for (const p of p2) {
      const last = runs[runs.length - 1];
      if (last && last[last.length - 1] + 1 === p) last.push(p);
      else runs.push([p]);
    }
    if (runs.length > 6) {
      // Still above rank 6: move the next run of the result next to those already in place
      // at the front (a transpose of rank ≤ 4), then do the rest, which has one run fewer.
      const placed = runs[0][0] === 0 ? runs[0] : [];
      const next = [...placed, ...runs[placed.length ? 1 : 0]];
      const toFront = [...next, ...sq.map((_, a) => a).filter((a) => !next.includes(a))];
      const tmp = this.transpose(squeezed, toFront);
      return this.reshape(
        this.transpose(
          tmp,
          p2.map((p) => toFront.indexOf(p)),
        ),
        shape,
      );
    }
    const bySource = [...runs].sort((a, b) => a[0] - b[0]);
    const mergedShape = bySource.map((r) => sizeOf(r.map((p) => sq[p])));
    const mergedPerm = runs.map((r) => bySource.indexOf(r));
    const src = this.reshape(squeezed, mergedShape);
    const out = this.value(mergedPerm.map((p) => mergedShape[p]));
    this.instrs.push({ op: 'transpose', x: src, out, perm: mergedPerm });
    this.kinds.push('transpose');
    return this.reshape(out, shape);
  }

  sum(x0: ValueId, axes0: number[]): ValueId {
    if (!axes0.length) return x0;
    let x = x0;
    let axes = axes0;
    const cur = this.shape(x);
    const keptShape = cur.filter((_, a) => !axes.includes(a));
    if (axes.every((a) => cur[a] === 1)) return this.reshape(x, keptShape);
    if (isShortSum(cur, axes)) {
      // A short reduction over many outputs is an addN of slices of a leading block
      // (tfjs-webgpu's reduce runs one workgroup per output, slow for these): bring the
      // summed axes to the front unless they already are.
      const perm = [...axes, ...cur.flatMap((_, a) => (axes.includes(a) ? [] : [a]))];
      x = this.transpose(x, perm);
      axes = axes.map((_, j) => j);
    }
    // Merge neighbouring axes that are both summed or both kept (fewer axes, rank ≤ 6).
    const shape = this.shape(x);
    const merged: { size: number; summed: boolean }[] = [];
    shape.forEach((size, a) => {
      if (size === 1) return;
      const summed = axes.includes(a);
      const last = merged[merged.length - 1];
      if (last && last.summed === summed) last.size *= size;
      else merged.push({ size, summed });
    });
    const src = this.reshape(
      x,
      merged.map((m) => m.size),
    );
    const out = this.value(merged.filter((m) => !m.summed).map((m) => m.size));
    this.instrs.push({
      op: 'sum',
      x: src,
      out,
      axes: merged.flatMap((m, a) => (m.summed ? [a] : [])),
    });
    this.kinds.push('sum');
    return this.reshape(out, keptShape);
  }

  pad(x: ValueId, axis: number, after: number): ValueId {
    const shape = [...this.shape(x)];
    shape[axis] += after;
    const out = this.value(shape);
    this.instrs.push({ op: 'pad', x, out, axis, after });
    return out;
  }

  gather(x: ValueId, indices: ValueId, axis: number): ValueId {
    const xs = this.shape(x);
    const shape = [...xs.slice(0, axis), ...this.shape(indices), ...xs.slice(axis + 1)];
    const out = this.value(shape);
    this.instrs.push({ op: 'gather', x, indices, out, axis });
    this.kinds.push('gather');
    return out;
  }

  matmul(a: ValueId, b: ValueId, transposeA: boolean, transposeB: boolean): ValueId {
    const [batch, r1, c1] = this.shape(a);
    const [, r2, c2] = this.shape(b);
    const out = this.value([batch, transposeA ? c1 : r1, transposeB ? r2 : c2]);
    this.instrs.push({ op: 'matmul', a, b, out, transposeA, transposeB });
    this.kinds.push('matmul');
    return out;
  }

  mul(a: ValueId, b: ValueId): ValueId {
    const sa = this.shape(a);
    const sb = this.shape(b);
    const out = this.value(sa.map((s, i) => Math.max(s, sb[i])));
    this.instrs.push({ op: 'mul', a, b, out });
    this.kinds.push('mul');
    return out;
  }

  slice(x: ValueId, begin: number[], end: number[], strides: number[], shape: number[]): ValueId {
    const out = this.value(shape);
    this.instrs.push({ op: 'slice', x, out, begin, end, strides });
    return out;
  }

  scaleBy(x: ValueId, value: number): ValueId {
    // Elementwise: done on the flat data (any rank).
    const shape = this.shape(x);
    const flat = this.reshape(x, [sizeOf(shape)]);
    const out = this.value([sizeOf(shape)]);
    this.instrs.push({ op: 'scale', x: flat, out, value });
    return this.reshape(out, shape);
  }

  broadcast(x: ValueId, shape: number[]): ValueId {
    const out = this.value(shape);
    this.instrs.push({ op: 'broadcast', x, out });
    return out;
  }
}
