import { checkNetwork, type Network, type PatternRole } from '../../core/network.ts';
import { planOperands, type LinearPath } from '../../core/planner/index.ts';
import { fail } from '../../core/errors.ts';
import { assembleProgram, walkPath, type PathWalker } from '../pathWalk.ts';
import { sizeOf, type Instr, type Program, type ValueId } from '../program.ts';
import { ProgramValues } from '../programValues.ts';
import { directKernel } from './directKernel.ts';
import { rowMajorStrides } from '../../core/tensor.ts';
import type { GeneratedKernel } from './generatedKernel.ts';
import { analyzeKernel } from './kernelAnalysis.ts';
import { roleExtent, ROLES, type KernelSpec } from './kernelSpec.ts';
import { applyTransformsToView, contiguousView, type Strided } from './stridedView.ts';
import { matrixRoles, preferTiled, tiledKernel, type MatrixRoles } from './tiledKernel.ts';
import { splitPhases } from './phaseSplit.ts';
import { followPlan } from './followPlan.ts';
import { allLegs, attachPatterns, legsOfLazy, type Lazy } from './lazyOperand.ts';
import { patternTables } from './wgslPatterns.ts';

/**
 * Lowers a network along its contraction path to generated WebGPU kernels. Index patterns
 * and Kronecker deltas are never stored: deltas become renamed legs, patterns ride along
 * with the data tensor they meet (lazily, like a view) until a step multiplies two data
 * tensors; that step becomes one kernel that reads both through their patterns. So a
 * convolution and its VJPs, JVPs and KFC are one kernel each, with no intermediate at
 * all, and KFAC-reduce keeps only the Π̄-sized x·Π̄ of each copy.
 */

export class KernelsUnsupported extends Error {}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

class KernelLowering extends ProgramValues {
  readonly sizes: Record<string, number>;
  scale = 1;
  output: string[] = [];
  private hidden = 0;

  constructor(
    readonly net: Network,
    inputShapes: Readonly<Record<string, readonly number[]>>,
    readonly choice: KernelChoice,
    readonly options: KernelOptions,
  ) {
    super(inputShapes);
    this.sizes = { ...net.sizes };
  }

  /** Operands of the network in tensor order, deltas resolved into leg renames. */
  operands(): Lazy[] {
    const net = this.net;
    const uf = new UnionFind();
    for (const t of net.tensors)
      if (t.kind === 'delta') for (const l of t.legs.slice(1)) uf.union(t.legs[0], l);
    const reps = new Map<string, string>();
    for (const l of net.output) if (!reps.has(uf.find(l))) reps.set(uf.find(l), l);
    const name = (l: string) => reps.get(uf.find(l)) ?? uf.find(l);
    this.output = net.output.map(name);
    const used = new Set<string>(this.output);
    const ops: Lazy[] = net.tensors.map((t): Lazy => {
      switch (t.kind) {
        case 'scalar':
          this.scale *= t.value;
          return { patterns: [], internal: new Set() };
        case 'delta':
          return { patterns: [], internal: new Set() };
        case 'data': {
          let value = this.input(t.source);
          let view: Strided = contiguousView(this.inputShapes[t.source]);
          let transforms = t.transforms;
          for (;;) {
            const r = applyTransformsToView(view, transforms);
            if (!('stuckAt' in r)) {
              view = r;
              break;
            }
            // A slice followed by a merge, or a select: copy the view so far once (at most
            // the input's size), contiguous.
            const shape = r.view.shape;
            if (!isContiguous(r.view)) {
              const legs = shape.map((s, a) => {
                const leg = `#v${this.hidden++}_${a}`;
                this.sizes[leg] = s;
                return leg;
              });
              value = this.materialize(
                {
                  dense: { value, legs, strides: r.view.strides, offset: r.view.offset },
                  patterns: [],
                  internal: new Set(),
                },
                legs,
              ).dense!.value;
            }
            const tr = transforms[r.stuckAt];
            if (tr.kind === 'select') {
              value = this.select(value, shape, tr.axis, tr.indices);
              view = contiguousView(shape.map((s, a) => (a === tr.axis ? tr.indices.length : s)));
              transforms = transforms.slice(r.stuckAt + 1);
            } else {
              view = contiguousView(shape);
              transforms = transforms.slice(r.stuckAt);
            }
          }
          const legs = t.legs.map(name);
          checkShape(
            view,
            legs.map((l) => this.sizes[l]),
            t.label,
          );
          legs.forEach((l) => used.add(l));
          return {
            dense: { value, legs, strides: view.strides, offset: view.offset },
            patterns: [],
            internal: new Set(),
          };
        }
        case 'index_pattern': {
          const legs = {} as Record<PatternRole, string>;
          const internal = new Set<string>();
          for (const role of ROLES) {
            const at = t.roles.indexOf(role);
            if (at >= 0) {
              legs[role] = name(t.legs[at]);
              used.add(legs[role]);
            } else {
              // A role summed inside Π (Π̄): a leg of its own that nothing else has.
              const hidden = `#${this.hidden++}${role}`;
              this.sizes[hidden] = t.keep?.[role]?.length ?? roleExtent(t.pattern, role);
              legs[role] = hidden;
              internal.add(hidden);
            }
          }
          return {
            patterns: [{ params: t.pattern, legs, ...(t.keep ? { keep: t.keep } : {}) }],
            internal,
          };
        }
      }
    });
    // A class of legs joined by deltas that no tensor and no result has is a trace.
    for (const t of net.tensors) {
      if (t.kind !== 'delta') continue;
      const rep = name(t.legs[0]);
      if (!used.has(rep)) {
        this.scale *= this.sizes[rep];
        used.add(rep);
      }
    }
    return ops;
  }

  /** Keeps the listed entries along one axis of a contiguous value (tensor dropout on data). */
  select(x: ValueId, shape: readonly number[], axis: number, indices: readonly number[]): ValueId {
    const pre = sizeOf(shape.slice(0, axis));
    const post = sizeOf(shape.slice(axis + 1));
    const flat = this.value([pre, shape[axis], post]);
    this.instrs.push({ op: 'reshape', x, out: flat });
    const idx = this.constant('int32', [indices.length], Int32Array.from(indices));
    const out = this.value([pre, indices.length, post]);
    this.instrs.push({ op: 'gather', x: flat, indices: idx, out, axis: 1 });
    this.kinds.push('gather');
    return out;
  }

  /** Emits one kernel computing `spec` (operands bound to `values`); returns its result. */
  emit(
    spec0: Omit<KernelSpec, 'inputs' | 'operands'> & {
      operands: (Omit<KernelSpec['operands'][number], 'input'> & { value: ValueId })[];
    },
  ): ValueId {
    const inputsList: ValueId[] = [];
    const operands = spec0.operands.map(({ value, ...view }) => {
      let at = inputsList.indexOf(value);
      if (at < 0) at = inputsList.push(value) - 1;
      return { ...view, input: at };
    });
    const spec: KernelSpec = { ...spec0, operands, inputs: inputsList.length };
    const tables = patternTables(spec);
    if (tables.data.length)
      inputsList.push(this.constant('int32', [tables.data.length], tables.data));
    const out = this.value(spec.output.map((l) => this.sizes[l]));
    const instr = this.instrFor(spec, inputsList, out);
    this.kinds.push(...kindsOf(instr));
    this.instrs.push(instr);
    return out;
  }

  /** The instruction computing `spec`: one kernel, or one per phase of a strided result leg. */
  instrFor(spec: KernelSpec, inputs: ValueId[], out: ValueId): Instr {
    const split = this.options.phaseSplit === false ? undefined : splitPhases(spec);
    if (split) {
      const phases = split.phases.map((p) => ({
        spec: p.spec,
        kernel: generate(p.spec, this.choice),
      }));
      return { op: 'phased', inputs, out, spec, phases, zeroFill: split.zeroFill };
    }
    return { op: 'kernel', inputs, out, spec, kernel: generate(spec, this.choice) };
  }

  /** A kernel's result as an operand: row-major over `legs`, nothing riding on it. */
  produced(value: ValueId, legs: readonly string[]): Lazy {
    return {
      dense: {
        value,
        legs: [...legs],
        strides: rowMajorStrides(legs.map((l) => this.sizes[l])),
        offset: 0,
      },
      patterns: [],
      internal: new Set(),
    };
  }

  /** Materialises a lazy operand over `legs` (in that order). */
  materialize(op: Lazy, legs: string[], scale = 1): Lazy {
    const value = this.emit({
      sizes: this.sizes,
      operands: op.dense
        ? [
            {
              value: op.dense.value,
              legs: op.dense.legs,
              strides: op.dense.strides,
              offset: op.dense.offset,
            },
          ]
        : [],
      patterns: op.patterns,
      output: legs,
      scale,
    });
    return this.produced(value, legs);
  }

  /** Sums what only `op` has, when a kernel would otherwise have to loop over it per entry. */
  reduceSide(op: Lazy, needed: ReadonlySet<string>): Lazy {
    if (!op.dense) return op;
    const visible = allLegs(op).filter((l) => needed.has(l));
    const solo: KernelSpec = {
      sizes: this.sizes,
      operands: [
        { input: 0, legs: op.dense.legs, strides: op.dense.strides, offset: op.dense.offset },
      ],
      inputs: 1,
      patterns: op.patterns,
      output: visible,
      scale: 1,
    };
    if (!analyzeKernel(solo).loops.length) return op;
    return this.materialize(op, visible);
  }

  contract(a: Lazy, b: Lazy, keep: ReadonlySet<string>): Lazy {
    const mergedInternal = (x: Lazy, y: Lazy) => {
      const internal = new Set([...x.internal, ...y.internal]);
      for (const l of [...legsOfLazy(x), ...legsOfLazy(y)]) if (!keep.has(l)) internal.add(l);
      return internal;
    };
    if (!a.dense || !b.dense) {
      this.kinds.push('lazy');
      return {
        dense: a.dense ?? b.dense,
        patterns: [...a.patterns, ...b.patterns],
        internal: mergedInternal(a, b),
      };
    }
    const la = legsOfLazy(a);
    const lb = legsOfLazy(b);
    const ra = this.reduceSide(a, new Set([...keep, ...lb]));
    const rb = this.reduceSide(b, new Set([...keep, ...la]));
    const both = legsOfLazy(ra).filter((l) => legsOfLazy(rb).includes(l) && keep.has(l));
    const onlyA = legsOfLazy(ra).filter((l) => keep.has(l) && !both.includes(l));
    const onlyB = legsOfLazy(rb).filter((l) => keep.has(l) && !both.includes(l));
    const legs = [...both, ...onlyA, ...onlyB];
    const value = this.emit({
      sizes: this.sizes,
      operands: [ra, rb].map((x) => ({
        value: x.dense!.value,
        legs: x.dense!.legs,
        strides: x.dense!.strides,
        offset: x.dense!.offset,
      })),
      patterns: [...ra.patterns, ...rb.patterns],
      output: legs,
      scale: 1,
    });
    return this.produced(value, legs);
  }

  /** The last operand as the result, in output order and scaled. */
  finish(op: Lazy): ValueId {
    const out = this.output;
    const last = this.instrs[this.instrs.length - 1];
    const d = op.dense;
    const plain = d && !op.patterns.length && d.legs.every((l) => !op.internal.has(l));
    if (
      plain &&
      new Set(out).size === out.length &&
      (last?.op === 'kernel' || last?.op === 'phased') &&
      last.out === d.value &&
      sameSet(d.legs, out) &&
      d.legs.length === out.length &&
      d.legs.every((l, a) => last.spec.output[a] === l) &&
      d.offset === 0
    ) {
      // The last kernel made the result: have it write the output order and the scale.
      const spec: KernelSpec = {
        ...last.spec,
        output: [...out],
        scale: last.spec.scale * this.scale,
      };
      // The same kernel rewritten: the step that made it already names it.
      this.instrs[this.instrs.length - 1] = this.instrFor(spec, last.inputs, last.out);
      return last.out;
    }
    return this.materialize(op, out, this.scale).dense!.value;
  }
}

/** What a step records for a kernel instruction: 'phased' and its phases' kernels, or its kernel. */
function kindsOf(instr: Instr): string[] {
  if (instr.op === 'phased') return ['phased', ...new Set(instr.phases.map((p) => p.kernel.kind))];
  return instr.op === 'kernel' ? [instr.kernel.kind] : [];
}

function isContiguous(view: Strided): boolean {
  const want = rowMajorStrides(view.shape);
  return view.offset === 0 && view.shape.every((s, a) => s === 1 || view.strides[a] === want[a]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l) => b.includes(l));
}

function checkShape(view: Strided, want: number[], label: string): void {
  if (view.shape.length !== want.length || view.shape.some((s, a) => s !== want[a])) {
    fail(
      `${label}: input gives shape [${view.shape.join(', ')}] but its legs need [${want.join(', ')}]`,
    );
  }
}

/** Which generator runs a step: by size ('auto'), or the tiled one wherever it applies (tests). */
export type KernelChoice = 'auto' | 'tiled';

export interface KernelOptions {
  /** Split results reached through a strided pattern by phase (default); false: one kernel with divisibility tests. */
  phaseSplit?: boolean;
}

/** The WGSL for a spec: tiled when it is a matrix product wide enough, else direct. */
export function generate(spec0: KernelSpec, choice: KernelChoice = 'auto'): GeneratedKernel {
  const { spec, roles } = storeOriented(spec0);
  if (typeof roles !== 'string' && (choice === 'tiled' || preferTiled(spec, roles)))
    return tiledKernel(spec, roles);
  return directKernel(spec);
}

/**
 * The two operands of a product in the order whose tiled kernel writes the result's last
 * (contiguous) leg along a workgroup row, so neighbouring invocations store neighbouring
 * entries: the first operand's legs are the rows of the tile, the second's its columns. The
 * path's order of the operands says nothing about this, and swapping them changes no value.
 */
function storeOriented(spec: KernelSpec): { spec: KernelSpec; roles: MatrixRoles | string } {
  const roles = matrixRoles(spec);
  const last = spec.output[spec.output.length - 1];
  if (typeof roles === 'string' || !roles.m.includes(last)) return { spec, roles };
  const swapped = { ...spec, operands: [spec.operands[1], spec.operands[0]] };
  const again = matrixRoles(swapped);
  return typeof again !== 'string' && again.n.includes(last)
    ? { spec: swapped, roles: again }
    : { spec, roles };
}

/**
 * Compiles `net` along `path` to generated kernels for tfjs-backend-webgpu. Throws
 * KernelsUnsupported (with the reason) for what the generator does not cover; the caller
 * then uses the tfjs-op lowering.
 */
export function lowerToKernels(
  net: Network,
  path: LinearPath,
  inputShapes: Readonly<Record<string, readonly number[]>>,
  choice: KernelChoice = 'auto',
  options: KernelOptions = {},
): Program {
  checkNetwork(net);
  const L = new KernelLowering(net, inputShapes, choice, options);
  const operands = L.operands();
  // Every index pattern first joins the data tensor it indexes (a free, lazy step), so no
  // step ever contracts a pattern on its own; among the data tensors the kernels follow the
  // planner's path (its cost model is theirs), else a path of their own.
  const attached = attachPatterns(operands);
  const output = [...new Set(L.output)];
  // The data tensors are the attached operands, in order.
  let host = 0;
  const hostOf = operands.map((op) => (op.dense ? host++ : undefined));
  const followed = followPlan(path, hostOf, attached.length);
  const kernelPath =
    followed?.path ??
    (attached.length > 1
      ? planOperands(
          attached.map((op) => legsOfLazy(op)),
          output.filter((l) => attached.some((op) => legsOfLazy(op).includes(l))),
          L.sizes,
          { objective: 'dense' },
        ).path
      : []);
  const walker: PathWalker<Lazy> = {
    legsOf: legsOfLazy,
    // Legs nothing else needs are summed inside the operand, by whichever kernel reads it.
    reduceAlone: (op, needed) => ({
      ...op,
      internal: new Set([...op.internal, ...legsOfLazy(op).filter((l) => !needed.has(l))]),
    }),
    contractPair: (a, b, keep) => L.contract(a, b, keep),
    beginStep: (step) => {
      L.step = step;
      L.kinds = [];
      return () => L.kinds;
    },
  };
  const { last, steps } = walkPath(walker, attached, kernelPath, L.output);
  if (followed) for (const s of steps) s.planStep = followed.planSteps[s.step];
  let out = L.finish(last ?? { patterns: [], internal: new Set<string>() });
  if (L.kinds.length)
    steps.push({
      step: kernelPath.length,
      operands: [],
      kinds: [...new Set(L.kinds)],
      result: [...L.output],
    });
  // The result as the network's PyTorch-layout shape (a reshape shares the storage).
  const shape = [...net.resultShape];
  if (sizeOf(shape) !== sizeOf(L.values[out].shape))
    throw new Error('kernel lowering: result size mismatch');
  const producer = L.instrs[L.instrs.length - 1];
  if ((producer?.op === 'kernel' || producer?.op === 'phased') && producer.out === out) {
    // A kernel writes a flat buffer: it can be given the result's shape directly.
    L.values[out] = { ...L.values[out], shape };
  } else if (L.values[out].shape.join(',') !== shape.join(',')) {
    const r = L.value(shape);
    L.instrs.push({ op: 'reshape', x: out, out: r });
    out = r;
  }
  return assembleProgram({
    instrs: L.instrs,
    values: L.values,
    constants: L.constants,
    inputs: Object.fromEntries([...L.inputValues.keys()].map((n) => [n, [...inputShapes[n]]])),
    output: out,
    resultShape: shape,
    // The planner's path over the network's tensors, as reported (steps[].planStep says
    // which of its steps each kernel step carries out, when the kernels follow it).
    path: path.map((g) => [...g]),
    steps,
  });
}
