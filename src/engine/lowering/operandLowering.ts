import { fail } from '../../core/errors.ts';
import { denseIndexPattern } from '../../core/indexPattern.ts';
import {
  transformedShape,
  type DataTransform,
  type PatternParams,
  type PatternRole,
} from '../../core/network.ts';
import { contiguous, nonUnit, sameOrder, type LayoutOperand } from '../matmulLayout.ts';
import { SHORT_SUM, SHORT_SUM_OUTPUTS, sizeOf, type ValueId } from '../program.ts';
import { applyTransforms } from '../../core/tensor.ts';
import { isIdentityTable, permuteTable } from '../tables.ts';
import { chooseMatmulLayout } from '../matmulLayout.ts';
import { ProgramBuilder } from './programBuilder.ts';
import {
  freeLegs,
  legsOf,
  permMovesData,
  type DenseOp,
  type DeltaOp,
  type Operand,
  type PatternOp,
  type ViewOp,
} from './operands.ts';

/** Operands: built from network tensors, turned dense or into views, legs summed or renamed. */
export class OperandLowering extends ProgramBuilder {
  // ---- operands --------------------------------------------------------------------

  /** Data tensor: the input with its recorded transforms, diagonals taken. */
  dataOperand(
    source: string,
    transforms: readonly DataTransform[],
    legs: string[],
    label: string,
  ): Operand {
    let v = this.input(source);
    for (const tr of transforms) {
      const cur = this.shape(v);
      const next = transformedShape(cur, [tr]);
      switch (tr.kind) {
        case 'reshape':
          v = this.reshape(v, next);
          break;
        case 'select':
          v = this.gather(
            v,
            this.constant('int32', [tr.indices.length], Int32Array.from(tr.indices)),
            tr.axis,
          );
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
      fail(
        `input '${source}' gives shape [${got.join(', ')}] but ${label} needs [${want.join(', ')}]`,
      );
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

  patternOperand(
    params: PatternParams,
    legs: string[],
    roles: PatternRole[],
    keep?: Partial<Record<PatternRole, number[]>>,
  ): Operand {
    const op: PatternOp = {
      kind: 'pattern',
      params,
      legs: [...legs],
      roles: [...roles],
      ...(keep ? { keep } : {}),
    };
    if (new Set(legs).size !== legs.length) return this.dedupeDense(this.patternDense(op));
    return op;
  }

  patternDense(p: PatternOp): DenseOp {
    const full = p.roles.map((r) =>
      r === 'k' ? p.params.kernelSize : r === 'o' ? p.params.outputSize : p.params.inputSize,
    );
    const selects: DataTransform[] = [];
    p.roles.forEach((role, axis) => {
      const kept = p.keep?.[role];
      if (kept) selects.push({ kind: 'select', axis, indices: kept });
    });
    const values = applyTransforms(
      { shape: full, data: denseIndexPattern(p.params, p.roles) },
      selects,
    );
    return {
      kind: 'dense',
      value: this.constant('float32', this.shapeOfLegs(p.legs), Float32Array.from(values.data)),
      legs: [...p.legs],
    };
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
  private viewSourcePerm(
    v: ViewOp,
    order: readonly string[],
  ): { perm: number[]; pre: string[]; post: string[] } {
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
        dense = {
          kind: 'dense',
          value: this.constant('float32', [], Float32Array.of(1)),
          legs: [],
        };
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
        const factors = op.factors.map(
          (f) =>
            this.sumLegs(
              f,
              legs.filter((l) => f.legs.includes(l) && !shared.includes(l)),
            ) as PatternOp | DenseOp,
        );
        const summed = [...op.summed, ...shared];
        if (factors.some((f) => f.kind !== 'pattern')) {
          const visible = new Set(
            [...new Set(factors.flatMap((f) => f.legs))].filter((l) => !summed.includes(l)),
          );
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
        if (op.roles.some((r, a) => !stays[a] && op.keep?.[r]))
          return this.sumLegs(this.patternDense(op), legs);
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
        const short =
          sizeOf(this.shapeOfLegs(summed)) <= SHORT_SUM &&
          sizeOf(this.shapeOfLegs(kept)) >= SHORT_SUM_OUTPUTS;
        const dense =
          op.kind === 'dense'
            ? op
            : this.materializeView(op, short ? [...summed, ...kept] : [...kept, ...summed]);
        const axes = dense.legs.flatMap((l, a) => (legs.includes(l) ? [a] : []));
        return {
          kind: 'dense',
          value: this.sum(dense.value, axes),
          legs: dense.legs.filter((l) => !legs.includes(l)),
        };
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
        return {
          kind: 'patterns',
          summed: op.summed,
          factors: op.factors.map((f) => ({
            ...f,
            legs: f.legs.map((l) => (op.summed.includes(l) ? l : r(l))),
          })),
        };
      case 'delta':
        return { ...op, legs: op.legs.map(r) };
      case 'view':
        return {
          ...op,
          newLegs: op.newLegs.map(r),
          sourceNames: op.sourceNames.map((n) => (n === undefined ? n : r(n))),
        };
      case 'scalar':
        return op;
    }
  }

  toDenseLike(op: Operand): DenseOp | ViewOp {
    return op.kind === 'view' || op.kind === 'dense' ? op : this.toDense(op);
  }

  /** Two dense tensors / views: batched matmul, or a broadcast product if nothing is summed. */
  contractDenseLike(
    a0: DenseOp | ViewOp,
    b0: DenseOp | ViewOp,
    keep: ReadonlySet<string>,
  ): DenseOp {
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
      const isFinal =
        [...blocks.batch, ...blocks.m, ...blocks.n].sort().join('\u0000') ===
        [...outLegs].sort().join('\u0000');
      const resultPref: LayoutOperand | undefined = isFinal
        ? {
            cost: (order) =>
              sameOrder(order, outLegs, this.sizes) ? 0 : sizeOf(this.shapeOfLegs(outLegs)),
            candidates: (block) => [
              [...block].sort((x, y) => outLegs.indexOf(x) - outLegs.indexOf(y)),
            ],
          }
        : undefined;
      const productSize = sizeOf(
        this.shapeOfLegs([...blocks.batch, ...blocks.m, ...blocks.n, ...blocks.k]),
      );
      return {
        a,
        b,
        layout: chooseMatmulLayout(
          this.layoutOf(a),
          this.layoutOf(b),
          blocks,
          resultPref,
          productSize,
        ),
      };
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
    return {
      kind: 'dense',
      value: this.reshape(out, this.shapeOfLegs(resultLegs)),
      legs: resultLegs,
    };
  }
}
