import { checkNetwork, type Network } from '../core/network.ts';
import type { LinearPath } from '../core/planner/index.ts';
import { sizeOf, type Program, type ValueId } from './program.ts';
import { composeTable } from './tables.ts';
import { assembleProgram, walkPath, type PathWalker } from './pathWalk.ts';
import { OperandLowering } from './lowering/operandLowering.ts';
import {
  factorsOf,
  isPatternLike,
  legsOf,
  type DenseOp,
  type DeltaOp,
  type Operand,
  type PatternLike,
  type PatternOp,
  type ScalarOp,
  type ViewOp,
} from './lowering/operands.ts';
import type { LowerOptions } from './lowering/programBuilder.ts';

export type { LowerOptions };

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

/** Pairwise contraction of operands, and the result. */
class Lowering extends OperandLowering {
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
      const dense: DenseOp | ViewOp =
        cur.kind === 'dense' || cur.kind === 'view' ? cur : this.toDense(cur);
      cur =
        this.tryGather(next, dense, k) ?? this.contractDenseLike(this.patternDense(next), dense, k);
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
    const joining = v.sourceNames.flatMap((n, axis) =>
      n !== undefined && p.legs.includes(n) ? [axis] : [],
    );
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
    if (!shared.length)
      return this.contractDenseLike(this.deltaDense(d), this.toDenseLike(x), keep);
    this.kinds.push('delta');
    let cur: Operand = x;
    const s0 = shared[0];
    if (shared.length > 1) {
      let dense = this.toDense(x);
      for (const l of shared.slice(1))
        dense = { ...dense, legs: dense.legs.map((m) => (m === l ? s0 : m)) };
      cur = this.dedupeDense(dense);
    }
    if (!kept.length) return this.sumLegs(cur, [s0]);
    const target = kept.includes(s0) ? s0 : kept[0];
    cur = this.rename(cur, s0, target);
    if (kept.length === 1) return cur;
    // The class keeps several legs: the result is diagonal in them, a broadcast product.
    const rest = kept.filter((l) => l !== target);
    return this.contractDenseLike(
      this.toDenseLike(cur),
      this.deltaDense({ kind: 'delta', legs: [target, ...rest] }),
      new Set([...keep, target]),
    );
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
      dense = {
        kind: 'dense',
        value: this.broadcast(withUnits, this.shapeOfLegs(output)),
        legs: [...output],
      };
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
  for (const s of steps) if (s.step < path.length) s.planStep = s.step;
  const output = L.finish(last ?? { kind: 'scalar' });
  return assembleProgram({
    instrs: L.instrs,
    values: L.values,
    constants: L.constants,
    inputs: Object.fromEntries(
      [...L.inputValues.keys()].map((name) => [name, [...inputShapes[name]]]),
    ),
    output,
    resultShape: [...net.resultShape],
    path: path.map((g) => [...g]),
    steps,
  });
}
