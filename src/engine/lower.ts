import { fail } from '../core/errors.ts';
import { denseIndexPattern } from '../core/indexPattern.ts';
import {
  checkNetwork,
  transformedShape,
  type DataTransform,
  type Network,
  type PatternParams,
  type PatternRole,
} from '../core/network.ts';
import type { LinearPath } from '../core/planner/index.ts';
import { chooseMatmulLayout, contiguous, nonUnit, sameOrder, type LayoutOperand } from './matmulLayout.ts';
import {
  isShortSum,
  SHORT_SUM,
  SHORT_SUM_OUTPUTS,
  sizeOf,
  type Constant,
  type Dtype,
  type Instr,
  type Program,
  type ValueId,
  type ValueInfo,
} from './program.ts';
import { applyTransforms } from '../core/tensor.ts';
import { composeTable, isIdentityTable, permuteTable } from './tables.ts';
import { assembleProgram, walkPath, type PathWalker } from './pathWalk.ts';

/**
 * Lowers a network and a linear contraction path to a Program of tfjs-shaped instructions
 * (pure: no tfjs here). Operands stay symbolic as long as that is cheaper:
 * - Π is kept as its hyper-parameters; contracting it over one leg with a dense tensor
 *   composes an index table instead of multiplying by a 0/1 array (docs/design.md §2.1).
 * - A gathered tensor stays a *view* (source + table) until something needs its values;
 *   then one gather produces it directly in the axis order that consumer wants, so a
 *   convolution's unfolded input is written once, already laid out for the matmul.
 * - δ renames legs (or takes a diagonal), scalars fold into one factor applied at the end.
 * Everything else is transpose → reshape → batched matmul (or a broadcast multiply when
 * nothing is summed). Π and δ become dense 0/1 only where no gather or rename applies.
 */

export interface LowerOptions {
  /** Largest index table (entries) a view may carry before it is materialised instead. */
  tableLimit?: number;
}

const DEFAULT_TABLE_LIMIT = 1 << 22;

interface DenseOp {
  kind: 'dense';
  value: ValueId;
  legs: string[];
}

/** view[free source legs…, newLegs…] = source[group ← table[newLegs…], free…] (0 where −1). */
interface ViewOp {
  kind: 'view';
  source: ValueId;
  sourceShape: number[];
  /** Name of each source axis; undefined for the axes in the group. */
  sourceNames: (string | undefined)[];
  group: number[];
  newLegs: string[];
  table: Int32Array;
}

interface PatternOp {
  kind: 'pattern';
  params: PatternParams;
  legs: string[];
  roles: PatternRole[];
  /** Kept positions of thinned roles (tensor dropout). */
  keep?: Partial<Record<PatternRole, number[]>>;
}

interface DeltaOp {
  kind: 'delta';
  legs: string[];
}

interface ScalarOp {
  kind: 'scalar';
}

/**
 * A product of index patterns, kept unevaluated, with the legs in `summed` summed over:
 * Π₁·Π₂ (an outer product) or Σ_o Π·Π′ (KFC's two copies sharing o) has few nonzeros but
 * as a dense array would be ∏ K·O·I. Contracted with a dense tensor it becomes one gather
 * per factor, composed into one table (Π′ maps (k′, i′) to o, Π maps (k, o) to i).
 */
interface PatternsOp {
  kind: 'patterns';
  factors: PatternOp[];
  /** Legs shared by factors and summed inside the product (not visible outside). */
  summed: string[];
}

type Operand = DenseOp | ViewOp | PatternOp | PatternsOp | DeltaOp | ScalarOp;
type PatternLike = PatternOp | PatternsOp;

const factorsOf = (op: PatternLike): PatternOp[] => (op.kind === 'pattern' ? [op] : op.factors);
const isPatternLike = (op: Operand): op is PatternLike => op.kind === 'pattern' || op.kind === 'patterns';

function legsOf(op: Operand): string[] {
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

function freeLegs(v: ViewOp): string[] {
  return v.sourceNames.filter((n): n is string => n !== undefined);
}

const isIdentityPerm = (perm: readonly number[]) => perm.every((p, a) => p === a);


/** False if the permutation only moves size-1 axes: then the row-major data stays as it is. */
function permMovesData(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return !moved.every((p, a) => a === 0 || p > moved[a - 1]);
}

class Lowering {
  readonly instrs: Instr[] = [];
  readonly values: ValueInfo[] = [];
  readonly constants: Constant[] = [];
  readonly inputValues = new Map<string, ValueId>();
  step = -1;
  kinds: string[] = [];
  scale = 1;
  private readonly tableLimit: number;

  constructor(
    readonly net: Network,
    readonly inputShapes: Readonly<Record<string, readonly number[]>>,
    options: LowerOptions,
  ) {
    this.tableLimit = options.tableLimit ?? DEFAULT_TABLE_LIMIT;
  }

  get sizes(): Readonly<Record<string, number>> {
    return this.net.sizes;
  }

  shapeOfLegs(legs: readonly string[]): number[] {
    return legs.map((l) => this.sizes[l]);
  }

  private value(shape: readonly number[], dtype: Dtype = 'float32'): ValueId {
    this.values.push({ shape: [...shape], dtype, step: this.step });
    return this.values.length - 1;
  }

  shape(v: ValueId): number[] {
    return this.values[v].shape;
  }

  // ---- instruction emitters --------------------------------------------------------

  input(source: string): ValueId {
    const known = this.inputValues.get(source);
    if (known !== undefined) return known;
    const shape = this.inputShapes[source];
    if (!shape) fail(`no input '${source}'`);
    const out = this.value(shape);
    this.instrs.push({ op: 'input', out, source });
    this.inputValues.set(source, out);
    return out;
  }

  constant(dtype: Dtype, shape: readonly number[], data: Int32Array | Float32Array): ValueId {
    this.constants.push({ dtype, shape: [...shape], data });
    const out = this.value(shape, dtype);
    this.instrs.push({ op: 'const', out, constant: this.constants.length - 1 });
    return out;
  }

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
    const squeezed = this.reshape(x, nonUnitAxes.map((a) => cur[a]));
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
      return this.reshape(this.transpose(tmp, p2.map((p) => toFront.indexOf(p))), shape);
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
    const src = this.reshape(x, merged.map((m) => m.size));
    const out = this.value(merged.filter((m) => !m.summed).map((m) => m.size));
    this.instrs.push({ op: 'sum', x: src, out, axes: merged.flatMap((m, a) => (m.summed ? [a] : [])) });
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

  // ---- operands --------------------------------------------------------------------

  /** Data tensor: the input with its recorded transforms, diagonals taken. */
  dataOperand(source: string, transforms: readonly DataTransform[], legs: string[], label: string): Operand {
    let v = this.input(source);
    for (const tr of transforms) {
      const cur = this.shape(v);
      const next = transformedShape(cur, [tr]);
      switch (tr.kind) {
        case 'reshape':
          v = this.reshape(v, next);
          break;
        case 'select':
          v = this.gather(v, this.constant('int32', [tr.indices.length], Int32Array.from(tr.indices)), tr.axis);
          break;
        case 'slice': {
          const step = tr.step ?? 1;
          const begin = cur.map((_, a) => (a === tr.axis ? tr.start : 0));
          const end = cur.map((s, a) => (a === tr.axis ? tr.start + (tr.size - 1) * step + 1 : s));
          const strides = cur.map((_, a) => (a === tr.axis ? step : 1));
          v = this.slice(v, begin, end, strides, next);
          break;
        }
        default:
          fail(`the engine cannot apply transform '${(tr as { kind: string }).kind}' of ${label}`);
      }
    }
    const want = this.shapeOfLegs(legs);
    const got = this.shape(v);
    if (got.length !== want.length || got.some((s, a) => s !== want[a])) {
      fail(`input '${source}' gives shape [${got.join(', ')}] but ${label} needs [${want.join(', ')}]`);
    }
    return this.dedupeDense({ kind: 'dense', value: v, legs: [...legs] });
  }

  /** Takes the diagonal over every leg name that occurs more than once. */
  dedupeDense(op: DenseOp): DenseOp {
    let cur = op;
    for (;;) {
      const repeated = cur.legs.find((l, a) => cur.legs.indexOf(l) !== a);
      if (repeated === undefined) return cur;
      const at = cur.legs.flatMap((l, a) => (l === repeated ? [a] : []));
      const rest = cur.legs.flatMap((l, a) => (l === repeated ? [] : [a]));
      const n = this.sizes[repeated];
      const t = this.transpose(cur.value, [...rest, ...at]);
      const restShape = rest.map((a) => this.shape(cur.value)[a]);
      const flat = this.reshape(t, [...restShape, n ** at.length]);
      let stride = 0;
      for (let j = 0; j < at.length; j++) stride += n ** j;
      const idx = Int32Array.from({ length: n }, (_, j) => j * stride);
      const g = this.gather(flat, this.constant('int32', [n], idx), restShape.length);
      cur = { kind: 'dense', value: g, legs: [...rest.map((a) => cur.legs[a]), repeated] };
    }
  }

  patternOperand(params: PatternParams, legs: string[], roles: PatternRole[], keep?: Partial<Record<PatternRole, number[]>>): Operand {
    const op: PatternOp = { kind: 'pattern', params, legs: [...legs], roles: [...roles], ...(keep ? { keep } : {}) };
    if (new Set(legs).size !== legs.length) return this.dedupeDense(this.patternDense(op));
    return op;
  }

  patternDense(p: PatternOp): DenseOp {
    const full = p.roles.map((r) => (r === 'k' ? p.params.kernelSize : r === 'o' ? p.params.outputSize : p.params.inputSize));
    const selects: DataTransform[] = [];
    p.roles.forEach((role, axis) => {
      const kept = p.keep?.[role];
      if (kept) selects.push({ kind: 'select', axis, indices: kept });
    });
    const values = applyTransforms({ shape: full, data: denseIndexPattern(p.params, p.roles) }, selects);
    return { kind: 'dense', value: this.constant('float32', this.shapeOfLegs(p.legs), Float32Array.from(values.data)), legs: [...p.legs] };
  }

  deltaDense(d: DeltaOp): DenseOp {
    const shape = this.shapeOfLegs(d.legs);
    const data = new Float32Array(sizeOf(shape));
    let step = 0;
    let acc = 1;
    for (let a = shape.length - 1; a >= 0; a--) {
      step += acc;
      acc *= shape[a];
    }
    for (let v = 0; v < (shape[0] ?? 1); v++) data[v * step] = 1;
    return { kind: 'dense', value: this.constant('float32', shape, data), legs: [...d.legs] };
  }

  asView(op: DenseOp | ViewOp): ViewOp {
    if (op.kind === 'view') return op;
    return {
      kind: 'view',
      source: op.value,
      sourceShape: this.shape(op.value),
      sourceNames: [...op.legs],
      group: [],
      newLegs: [],
      table: Int32Array.of(0),
    };
  }

  /** Cost model and preferred orders of an operand, for the matmul layout choice. */
  layoutOf(op: DenseOp | ViewOp): LayoutOperand {
    const sizes = this.sizes;
    if (op.kind === 'dense') {
      const size = sizeOf(this.shape(op.value));
      return {
        cost: (order) => (sameOrder(op.legs, order, sizes) ? 0 : size),
        candidates: (block) => [[...block].sort((x, y) => op.legs.indexOf(x) - op.legs.indexOf(y))],
      };
    }
    const free = freeLegs(op);
    const viewSize = sizeOf(this.shapeOfLegs([...free, ...op.newLegs]));
    const sourceSize = sizeOf(op.sourceShape);
    return {
      cost: (order) => {
        if (!contiguous(op.newLegs, order, sizes)) return 2 * viewSize;
        const { perm } = this.viewSourcePerm(op, order);
        return permMovesData(op.sourceShape, perm) ? sourceSize : 0;
      },
      candidates: (block) => {
        const f = free.filter((l) => block.includes(l));
        const n = op.newLegs.filter((l) => block.includes(l));
        return [
          [...f, ...n],
          [...n, ...f],
        ];
      },
    };
  }

  /**
   * For a view produced in `order` (new legs contiguous): the permutation that brings the
   * source into [free legs before the new ones, group, free legs after], and the split.
   */
  private viewSourcePerm(v: ViewOp, order: readonly string[]): { perm: number[]; pre: string[]; post: string[] } {
    const newSet = new Set(nonUnit(v.newLegs, this.sizes));
    const seq = order.filter((l) => !v.newLegs.includes(l) || newSet.has(l));
    let first = seq.findIndex((l) => newSet.has(l));
    if (first < 0) first = seq.length;
    // Free legs before the first new leg go before the group; size-1 free legs that sit
    // between new legs can go anywhere, so they go before as well.
    const free = order.filter((l) => !v.newLegs.includes(l));
    const lastNew = seq.reduce((acc, l, i) => (newSet.has(l) ? i : acc), -1);
    const pre: string[] = [];
    const post: string[] = [];
    for (const l of free) {
      const at = seq.indexOf(l);
      if (at < first || (this.sizes[l] === 1 && at <= lastNew)) pre.push(l);
      else post.push(l);
    }
    const axis = (name: string) => v.sourceNames.indexOf(name);
    const perm = [...pre.map(axis), ...v.group, ...post.map(axis)];
    return { perm, pre, post };
  }

  /** The values of a view, with axes in `order` (a permutation of its legs). */
  materializeView(v: ViewOp, order: readonly string[]): DenseOp {
    if (!contiguous(v.newLegs, order, this.sizes)) {
      const canonical = [...freeLegs(v), ...v.newLegs];
      return this.reorderDense(this.materializeView(v, canonical), order);
    }
    const { perm, pre, post } = this.viewSourcePerm(v, order);
    const newOrder = order.filter((l) => v.newLegs.includes(l));
    const table = permuteTable(
      v.table,
      this.shapeOfLegs(v.newLegs),
      newOrder.map((l) => v.newLegs.indexOf(l)),
    );
    const src = this.transpose(v.source, perm);
    const preSize = sizeOf(this.shapeOfLegs(pre));
    const postSize = sizeOf(this.shapeOfLegs(post));
    const groupSize = sizeOf(v.group.map((a) => v.sourceShape[a]));
    let produced: ValueId;
    if (isIdentityTable(table, groupSize)) {
      produced = src;
    } else {
      let flat = this.reshape(src, [preSize, groupSize, postSize]);
      let hasPadding = false;
      for (let j = 0; j < table.length; j++) if (table[j] < 0) hasPadding = true;
      let indices = table;
      if (hasPadding) {
        // Taps that fall into the padding read one appended zero instead of being masked.
        flat = this.pad(flat, 1, 1);
        indices = Int32Array.from(table, (e) => (e < 0 ? groupSize : e));
      }
      produced = this.gather(flat, this.constant('int32', [indices.length], indices), 1);
    }
    const producedOrder = [...pre, ...newOrder, ...post];
    const dense: DenseOp = {
      kind: 'dense',
      value: this.reshape(produced, this.shapeOfLegs(producedOrder)),
      legs: producedOrder,
    };
    return this.reorderDense(dense, order);
  }

  reorderDense(op: DenseOp, order: readonly string[]): DenseOp {
    const perm = order.map((l) => op.legs.indexOf(l));
    if (perm.some((p) => p < 0) || perm.length !== op.legs.length) {
      throw new Error(`engine: cannot order [${op.legs.join(', ')}] as [${order.join(', ')}]`);
    }
    return { kind: 'dense', value: this.transpose(op.value, perm), legs: [...order] };
  }

  /** Any operand as a dense tensor (in `order` if given). */
  toDense(op: Operand, order?: readonly string[]): DenseOp {
    let dense: DenseOp;
    switch (op.kind) {
      case 'dense':
        dense = op;
        break;
      case 'view':
        return this.materializeView(op, order ?? [...freeLegs(op), ...op.newLegs]);
      case 'pattern':
        dense = this.patternDense(op);
        break;
      case 'patterns': {
        // Only when nothing cheaper applies: the factors' 0/1 arrays multiplied out, each
        // internal leg summed once no later factor has it.
        const visible = legsOf(op);
        const parts = op.factors.map((f) => this.patternDense(f));
        dense = parts.reduce((acc, f, j) => {
          const keep = new Set(visible);
          for (const later of op.factors.slice(j + 1)) for (const l of later.legs) keep.add(l);
          return this.contractDenseLike(acc, f, keep);
        });
        break;
      }
      case 'delta':
        dense = this.deltaDense(op);
        break;
      case 'scalar':
        dense = { kind: 'dense', value: this.constant('float32', [], Float32Array.of(1)), legs: [] };
        break;
    }
    return order ? this.reorderDense(dense, order) : dense;
  }

  /** Sums legs of one operand (Π loses roles lazily, δ loses legs, data is reduced). */
  sumLegs(op: Operand, legs: readonly string[]): Operand {
    if (!legs.length) return op;
    switch (op.kind) {
      case 'scalar':
        return op;
      case 'delta': {
        const rest = op.legs.filter((l) => !legs.includes(l));
        // Σ over every leg of δ is the number of diagonal entries; over some, δ of the rest.
        if (!rest.length) {
          this.scale *= this.sizes[op.legs[0]];
          return { kind: 'scalar' };
        }
        return { kind: 'delta', legs: rest };
      }
      case 'patterns': {
        // A leg several factors share becomes internal to the product; a leg on one factor
        // only is summed in that factor (Π → Π̄).
        const shared = legs.filter((l) => op.factors.filter((f) => f.legs.includes(l)).length > 1);
        const factors = op.factors.map((f) => this.sumLegs(f, legs.filter((l) => f.legs.includes(l) && !shared.includes(l))) as PatternOp | DenseOp);
        const summed = [...op.summed, ...shared];
        if (factors.some((f) => f.kind !== 'pattern')) {
          const visible = new Set([...new Set(factors.flatMap((f) => f.legs))].filter((l) => !summed.includes(l)));
          const dense = factors.map((f) => this.toDense(f));
          return dense.reduce((acc, f, j) => {
            const keep = new Set(visible);
            for (const later of dense.slice(j + 1)) for (const l of later.legs) keep.add(l);
            return this.contractDenseLike(acc, f, keep);
          });
        }
        return { kind: 'patterns', factors: factors as PatternOp[], summed };
      }
      case 'pattern': {
        const stays = op.legs.map((l) => !legs.includes(l));
        // Summing a thinned role must only count its kept positions: do it on the values.
        if (op.roles.some((r, a) => !stays[a] && op.keep?.[r])) return this.sumLegs(this.patternDense(op), legs);
        // The summed pattern Π̄ (fewer roles) is dense anyway when it is used.
        return {
          kind: 'pattern',
          params: op.params,
          legs: op.legs.filter((_, a) => stays[a]),
          roles: op.roles.filter((_, a) => stays[a]),
          ...(op.keep ? { keep: op.keep } : {}),
        };
      }
      case 'view':
      case 'dense': {
        const all = legsOf(op);
        const kept = all.filter((l) => !legs.includes(l));
        // Summed axes where the reduction wants them (see sum()): first for short sums over
        // many outputs, else last, where the reduction reads contiguous runs. A gathered
        // view is produced in that order directly.
        const summed = all.filter((l) => legs.includes(l));
        const short = sizeOf(this.shapeOfLegs(summed)) <= SHORT_SUM && sizeOf(this.shapeOfLegs(kept)) >= SHORT_SUM_OUTPUTS;
        const dense = op.kind === 'dense' ? op : this.materializeView(op, short ? [...summed, ...kept] : [...kept, ...summed]);
        const axes = dense.legs.flatMap((l, a) => (legs.includes(l) ? [a] : []));
        return { kind: 'dense', value: this.sum(dense.value, axes), legs: dense.legs.filter((l) => !legs.includes(l)) };
      }
    }
  }

  /** Sums the legs of `op` that nothing in `needed` refers to. */
  reduceAlone(op: Operand, needed: ReadonlySet<string>): Operand {
    const lonely = legsOf(op).filter((l) => !needed.has(l));
    return this.sumLegs(op, [...new Set(lonely)]);
  }

  rename(op: Operand, from: string, to: string): Operand {
    const r = (l: string) => (l === from ? to : l);
    switch (op.kind) {
      case 'dense':
        return { ...op, legs: op.legs.map(r) };
      case 'pattern':
        return { ...op, legs: op.legs.map(r) };
      case 'patterns':
        return { kind: 'patterns', summed: op.summed, factors: op.factors.map((f) => ({ ...f, legs: f.legs.map((l) => (op.summed.includes(l) ? l : r(l))) })) };
      case 'delta':
        return { ...op, legs: op.legs.map(r) };
      case 'view':
        return { ...op, newLegs: op.newLegs.map(r), sourceNames: op.sourceNames.map((n) => (n === undefined ? n : r(n))) };
      case 'scalar':
        return op;
    }
  }

  // ---- pairwise contraction ---------------------------------------------------------

  contractPair(a0: Operand, b0: Operand, keep: ReadonlySet<string>): Operand {
    const a = this.reduceAlone(a0, new Set([...keep, ...legsOf(b0)]));
    const b = this.reduceAlone(b0, new Set([...keep, ...legsOf(a)]));
    if (a.kind === 'scalar') return b;
    if (b.kind === 'scalar') return a;
    if (a.kind === 'delta') return this.contractDelta(a, b, keep);
    if (b.kind === 'delta') return this.contractDelta(b, a, keep);
    if (isPatternLike(a) && isPatternLike(b)) return this.contractPatterns(a, b, keep);
    if (isPatternLike(a)) return this.applyPatterns(a, b as DenseOp | ViewOp, keep);
    if (isPatternLike(b)) return this.applyPatterns(b, a as DenseOp | ViewOp, keep);
    return this.contractDenseLike(a as DenseOp | ViewOp, b as DenseOp | ViewOp, keep);
  }

  /** Patterns with patterns: a lazy product unless the step sums a leg they share. */
  contractPatterns(a: PatternLike, b: PatternLike, keep: ReadonlySet<string>): Operand {
    const factors = [...factorsOf(a), ...factorsOf(b)];
    const summedShared = legsOf(a).filter((l) => legsOf(b).includes(l) && !keep.has(l));
    const inner = (p: PatternLike) => (p.kind === 'patterns' ? p.summed : []);
    this.kinds.push('pattern-product');
    return { kind: 'patterns', factors, summed: [...inner(a), ...inner(b), ...summedShared] };
  }

  /**
   * Pattern factors against a dense tensor or view, one at a time: those that share a leg
   * the contraction sums become gathers; a leg another factor still needs is kept until
   * that factor is applied. A factor sharing nothing is an outer product, done last.
   */
  applyPatterns(p: PatternLike, x: DenseOp | ViewOp, keep: ReadonlySet<string>): Operand {
    let pending = [...factorsOf(p)];
    let cur: Operand = x;
    while (pending.length) {
      const curLegs = legsOf(cur);
      const keepFor = (f: PatternOp) => {
        const k = new Set(keep);
        for (const other of pending) if (other !== f) for (const l of other.legs) k.add(l);
        return k;
      };
      const next =
        pending.find((f) => f.legs.some((l) => curLegs.includes(l) && !keepFor(f).has(l))) ??
        pending.find((f) => f.legs.some((l) => curLegs.includes(l))) ??
        pending[0];
      pending = pending.filter((f) => f !== next);
      const k = keepFor(next);
      pending.forEach((f) => f.legs.forEach((l) => k.add(l)));
      const dense: DenseOp | ViewOp = cur.kind === 'dense' || cur.kind === 'view' ? cur : this.toDense(cur);
      cur = this.tryGather(next, dense, k) ?? this.contractDenseLike(this.patternDense(next), dense, k);
      if (cur.kind !== 'dense' && cur.kind !== 'view') cur = this.toDense(cur);
    }
    return cur;
  }

  /** Π (all three roles) against a dense tensor or view: compose a gather table. */
  tryGather(p: PatternOp, x: DenseOp | ViewOp, keep: ReadonlySet<string>): Operand | undefined {
    if (p.roles.length !== 3) return undefined;
    const xLegs = legsOf(x);
    const shared = p.legs.filter((l) => xLegs.includes(l));
    const summed = shared.filter((l) => !keep.has(l));
    if (!summed.length) return undefined;
    const rank = (l: string) => ['i', 'o', 'k'].indexOf(p.roles[p.legs.indexOf(l)]);
    const target = [...summed].sort((u, w) => rank(u) - rank(w))[0];
    const v = this.asView(x);
    const newLegs = [
      ...v.newLegs.filter((l) => l !== target),
      ...p.legs.filter((l) => l !== target && !v.newLegs.includes(l)),
    ];
    if (sizeOf(this.shapeOfLegs(newLegs)) > this.tableLimit) return undefined;
    const joining = v.sourceNames.flatMap((n, axis) => (n !== undefined && p.legs.includes(n) ? [axis] : []));
    const newGroup = [...v.group, ...joining];
    const table = composeTable({
      p: p.params,
      legs: p.legs,
      roles: p.roles,
      target,
      sizes: this.sizes,
      oldNew: v.newLegs,
      oldGroup: v.group,
      oldTable: v.table,
      sourceShape: v.sourceShape,
      sourceNames: v.sourceNames,
      newLegs,
      newGroup,
      keep: p.keep,
    });
    this.kinds.push('gather-table');
    const view: ViewOp = {
      kind: 'view',
      source: v.source,
      sourceShape: v.sourceShape,
      sourceNames: v.sourceNames.map((n, axis) => (joining.includes(axis) ? undefined : n)),
      group: newGroup,
      newLegs,
      table,
    };
    const alsoSummed = summed.filter((l) => l !== target);
    return alsoSummed.length ? this.sumLegs(view, alsoSummed) : view;
  }

  /** δ against anything: identify its legs (rename, or a diagonal), sum or keep the class. */
  contractDelta(d: DeltaOp, x: Operand, keep: ReadonlySet<string>): Operand {
    const xLegs = legsOf(x);
    const shared = d.legs.filter((l) => xLegs.includes(l));
    const kept = d.legs.filter((l) => keep.has(l));
    if (x.kind === 'delta' && shared.length) {
      const union = [...new Set([...d.legs, ...x.legs])];
      const k = union.filter((l) => keep.has(l));
      if (!k.length) {
        this.scale *= this.sizes[union[0]];
        return { kind: 'scalar' };
      }
      return { kind: 'delta', legs: k };
    }
    if (!shared.length) return this.contractDenseLike(this.deltaDense(d), this.toDenseLike(x), keep);
    this.kinds.push('delta');
    let cur: Operand = x;
    const s0 = shared[0];
    if (shared.length > 1) {
      let dense = this.toDense(x);
      for (const l of shared.slice(1)) dense = { ...dense, legs: dense.legs.map((m) => (m === l ? s0 : m)) };
      cur = this.dedupeDense(dense);
    }
    if (!kept.length) return this.sumLegs(cur, [s0]);
    const target = kept.includes(s0) ? s0 : kept[0];
    cur = this.rename(cur, s0, target);
    if (kept.length === 1) return cur;
    // The class keeps several legs: the result is diagonal in them, a broadcast product.
    const rest = kept.filter((l) => l !== target);
    return this.contractDenseLike(this.toDenseLike(cur), this.deltaDense({ kind: 'delta', legs: [target, ...rest] }), new Set([...keep, target]));
  }

  toDenseLike(op: Operand): DenseOp | ViewOp {
    return op.kind === 'view' || op.kind === 'dense' ? op : this.toDense(op);
  }

  /** Two dense tensors / views: batched matmul, or a broadcast product if nothing is summed. */
  contractDenseLike(a0: DenseOp | ViewOp, b0: DenseOp | ViewOp, keep: ReadonlySet<string>): DenseOp {
    // Either operand can be the left factor: [B,M,K]·[B,K,N] or [B,N,K]·[B,K,M] give the
    // same values with the result's M and N blocks swapped; take the cheaper layout.
    const plan = (a: DenseOp | ViewOp, b: DenseOp | ViewOp) => {
      const la = legsOf(a);
      const lb = legsOf(b);
      const blocks = {
        batch: la.filter((l) => lb.includes(l) && keep.has(l)),
        k: la.filter((l) => lb.includes(l) && !keep.has(l)),
        m: la.filter((l) => !lb.includes(l)),
        n: lb.filter((l) => !la.includes(l)),
      };
      // The product that makes the network's open legs should come out in output order.
      const outLegs = this.net.output;
      const isFinal = [...blocks.batch, ...blocks.m, ...blocks.n].sort().join('\u0000') === [...outLegs].sort().join('\u0000');
      const resultPref: LayoutOperand | undefined = isFinal
        ? {
            cost: (order) => (sameOrder(order, outLegs, this.sizes) ? 0 : sizeOf(this.shapeOfLegs(outLegs))),
            candidates: (block) => [[...block].sort((x, y) => outLegs.indexOf(x) - outLegs.indexOf(y))],
          }
        : undefined;
      const productSize = sizeOf(this.shapeOfLegs([...blocks.batch, ...blocks.m, ...blocks.n, ...blocks.k]));
      return { a, b, layout: chooseMatmulLayout(this.layoutOf(a), this.layoutOf(b), blocks, resultPref, productSize) };
    };
    const forward = plan(a0, b0);
    const swapped = plan(b0, a0);
    const { a, b, layout } = swapped.layout.cost < forward.layout.cost ? swapped : forward;
    const { batch, k, m, n, transposeA, transposeB } = layout;
    const sz = (legs: string[]) => sizeOf(this.shapeOfLegs(legs));
    const [bs, ms, ns, ks] = [sz(batch), sz(m), sz(n), sz(k)];
    const resultLegs = [...batch, ...m, ...n];
    let out: ValueId;
    if (!k.length) {
      const da = this.toDense(a, [...batch, ...m]);
      const db = this.toDense(b, [...batch, ...n]);
      out = this.mul(this.reshape(da.value, [bs, ms, 1]), this.reshape(db.value, [bs, 1, ns]));
    } else {
      const da = this.toDense(a, transposeA ? [...batch, ...k, ...m] : [...batch, ...m, ...k]);
      const db = this.toDense(b, transposeB ? [...batch, ...n, ...k] : [...batch, ...k, ...n]);
      out = this.matmul(
        this.reshape(da.value, transposeA ? [bs, ks, ms] : [bs, ms, ks]),
        this.reshape(db.value, transposeB ? [bs, ns, ks] : [bs, ks, ns]),
        transposeA,
        transposeB,
      );
    }
    return { kind: 'dense', value: this.reshape(out, this.shapeOfLegs(resultLegs)), legs: resultLegs };
  }

  /** The last operand as the network's result: summed, ordered, scaled, reshaped. */
  finish(op: Operand): ValueId {
    const output = this.net.output;
    const cur = this.reduceAlone(op, new Set(output));
    const have = legsOf(cur);
    const missing = output.filter((l) => !have.includes(l));
    let dense: DenseOp;
    if (missing.length) {
      // Open legs no tensor carries: the result is constant along them (a broadcast).
      const present = output.filter((l) => have.includes(l));
      const d = this.toDense(cur, present);
      const withUnits = this.reshape(
        d.value,
        output.map((l) => (have.includes(l) ? this.sizes[l] : 1)),
      );
      dense = { kind: 'dense', value: this.broadcast(withUnits, this.shapeOfLegs(output)), legs: [...output] };
    } else {
      dense = this.toDense(cur, output);
    }
    let v = dense.value;
    if (this.scale !== 1) {
      // Every float constant (dense Π̄, δ) enters the product exactly once, linearly: scaling
      // its host data scales the result without a pass over any tensor.
      const factor = this.constants.find((c) => c.dtype === 'float32');
      if (factor) factor.data = Float32Array.from(factor.data, (e) => e * this.scale);
      else v = this.scaleBy(v, this.scale);
    }
    v = this.reshape(v, this.net.resultShape);
    // The result must be a tensor of its own, never a borrowed input or a constant.
    const producer = this.instrs.find((i) => i.out === v);
    if (!producer || producer.op === 'input' || producer.op === 'const') v = this.scaleBy(v, 1);
    return v;
  }
}

/**
 * Compiles `net` contracted along `path` (opt_einsum linear format over net.tensors) for
 * inputs of the given shapes. Throws an EinsketchError for an invalid path or inputs.
 */
export function lowerNetwork(
  net: Network,
  path: LinearPath,
  inputShapes: Readonly<Record<string, readonly number[]>>,
  options: LowerOptions = {},
): Program {
  checkNetwork(net);
  const L = new Lowering(net, inputShapes, options);
  const current: Operand[] = net.tensors.map((t) => {
    switch (t.kind) {
      case 'data':
        return L.dataOperand(t.source, t.transforms, t.legs, t.label);
      case 'index_pattern':
        return L.patternOperand(t.pattern, t.legs, t.roles, t.keep);
      case 'delta':
        return { kind: 'delta', legs: [...new Set(t.legs)] } satisfies DeltaOp;
      case 'scalar':
        L.scale *= t.value;
        return { kind: 'scalar' } satisfies ScalarOp;
    }
  });
  const walker: PathWalker<Operand> = {
    legsOf,
    reduceAlone: (op, needed) => L.reduceAlone(op, needed),
    contractPair: (x, y, keep) => L.contractPair(x, y, keep),
    beginStep: (step) => {
      L.step = step;
      L.kinds = [];
      return () => L.kinds;
    },
  };
  const { last, steps } = walkPath(walker, current, path, net.output);
  const output = L.finish(last ?? { kind: 'scalar' });
  return assembleProgram({
    instrs: L.instrs,
    values: L.values,
    constants: L.constants,
    inputs: Object.fromEntries([...L.inputValues.keys()].map((name) => [name, [...inputShapes[name]]])),
    output,
    resultShape: [...net.resultShape],
    path: path.map((g) => [...g]),
    steps,
  });
}
