import { analyzeKernel, legsOfSpec, type KernelAnalysis } from './kernelAnalysis.ts';
import { outputSize, storeAddress, type KernelSpec } from './kernelSpec.ts';
import { rowMajorStrides } from '../../core/tensor.ts';
import { decompose, sourceKey, type GeneratedKernel } from './generatedKernel.ts';
import {
  addressOf,
  emitDerivation,
  emitGuardedDerivation,
  emitPredicate,
  f32Literal,
  inputsOfDerivation,
  legNames,
  legsOfPattern,
  patternTables,
} from './wgslPatterns.ts';

/**
 * The direct kernel: one invocation per result entry, looping over the summed legs that
 * no index pattern computes. It suits contractions with a short sum per entry and no
 * matrix structure worth tiling: depthwise convolutions (each channel its own 7×7 sum),
 * the summed pattern Π̄ of KFAC-reduce (x·Π̄ over o), unfolding, or the final reordering.
 * Each computed leg and each predicate sits at the outermost loop where its inputs are
 * known, so a tap in the padding skips the inner loops at once.
 */

const WORKGROUP = 64;

/** Result entries per invocation along the result's last leg (see blockedLegs). */
const BLOCK = 4;

export function directKernel(
  spec: KernelSpec,
  analysis: KernelAnalysis = analyzeKernel(spec),
): GeneratedKernel {
  const v = legNames(legsOfSpec(spec));
  const tables = patternTables(spec);
  const variableNames = [
    ...Array.from({ length: spec.inputs }, (_, j) => `in${j}`),
    ...(tables.data.length ? ['tables'] : []),
  ];
  const size = outputSize(spec);

  // Loops: the leg with the largest stride outermost (the inner loops walk memory in order).
  const maxStride = (leg: string) =>
    Math.max(
      0,
      ...spec.operands.flatMap((o) => o.legs.flatMap((l, a) => (l === leg ? [o.strides[a]] : []))),
    );
  const loops = [...analysis.loops].sort((a, b) => maxStride(b) - maxStride(a));

  const diagonal = new Set(spec.output).size !== spec.output.length;
  const last = spec.output[spec.output.length - 1];
  const blocked =
    !diagonal &&
    last !== undefined &&
    spec.sizes[last] >= BLOCK &&
    loops.length > 0 &&
    spec.operands.length > 0;
  const perEntry = blocked ? blockedLegs(spec, analysis, last) : new Set<string>();
  const entries = blocked ? BLOCK : 1;
  const blocks = blocked ? Math.ceil(spec.sizes[last] / BLOCK) : 1;
  const invocations = blocked ? (size / spec.sizes[last]) * blocks : size;

  const known = new Set<string>();
  const placed = new Set<string>();
  const body: string[] = [];
  const indent = (n: number) => '  '.repeat(n + 1);
  /** The name of leg `l` for the result entry `r` of the block. */
  const vr = (r: number) => (l: string) => (perEntry.has(l) ? `${v(l)}_r${r}` : v(l));
  // A phase of a split writes through its store view; otherwise the result is row-major.
  const lastStride = spec.store ? spec.store.strides[spec.output.indexOf(last)] : 1;
  const at = (r: number) => (r === 0 ? 'base' : `base + ${lastStride === 1 ? r : r * lastStride}`);
  const single = spec.store ? storeAddress(spec, v) : 'index';
  const zeroAll = blocked
    ? Array.from(
        { length: BLOCK },
        (_, r) => `if (${v(last)}_b + ${r} < ${spec.sizes[last]}) { result[${at(r)}] = 0.0; }`,
      ).join(' ') + ' return;'
    : `result[${single}] = 0.0; return;`;

  // The result coordinates. A leg named twice is a diagonal: each position gets its own
  // coordinate, and entries off the diagonal are zero.
  if (blocked) {
    // The last leg counts blocks of BLOCK entries; each invocation sums them side by side,
    // so what does not depend on that leg (the other operands' loads, their index
    // arithmetic) is done once for the block.
    const name = (l: string) => (l === last ? `${v(l)}_blk` : v(l));
    body.push(
      ...decompose('index', spec.output, { ...spec.sizes, [last]: blocks }, name, 'rest').map(
        (l) => indent(0) + l,
      ),
    );
    body.push(`${indent(0)}let ${v(last)}_b = ${v(last)}_blk * ${BLOCK};`);
    const base = spec.store
      ? storeAddress(spec, (l) => (l === last ? `${v(l)}_b` : v(l)))
      : `(index / ${blocks}) * ${spec.sizes[last]} + ${v(last)}_b`;
    body.push(`${indent(0)}let base = ${base};`);
    for (const l of spec.output) if (l !== last) known.add(l);
  } else if (!diagonal) {
    body.push(...decompose('index', spec.output, spec.sizes, v, 'rest').map((l) => indent(0) + l));
    for (const l of spec.output) known.add(l);
  } else {
    const strides = rowMajorStrides(spec.output.map((l) => spec.sizes[l]));
    spec.output.forEach((l, a) => {
      const first = spec.output.indexOf(l) === a;
      const name = first ? v(l) : `${v(l)}_d${a}`;
      body.push(`${indent(0)}let ${name} = (index / ${strides[a]}) % ${spec.sizes[l]};`);
      if (!first) body.push(`${indent(0)}if (${name} != ${v(l)}) { result[index] = 0.0; return; }`);
    });
    for (const l of spec.output) known.add(l);
  }

  const place = (depth: number, fail: string) => {
    for (;;) {
      const d = analysis.derived.find(
        (x) =>
          !perEntry.has(x.leg) &&
          !placed.has(`d${x.pattern}`) &&
          inputsOfDerivation(spec, x).every((l) => known.has(l)),
      );
      if (d) {
        placed.add(`d${d.pattern}`);
        body.push(
          ...emitDerivation(spec, tables, 'tables', d, v, fail).map((l) => indent(depth) + l),
        );
        known.add(d.leg);
        continue;
      }
      const p = analysis.predicates.find(
        (j) => !placed.has(`p${j}`) && legsOfPattern(spec, j).every((l) => known.has(l)),
      );
      if (p !== undefined) {
        placed.add(`p${p}`);
        body.push(indent(depth) + emitPredicate(spec, tables, 'tables', p, v, fail));
        continue;
      }
      return;
    }
  };

  for (let r = 0; r < entries; r++) body.push(`${indent(0)}var acc${r} = 0.0;`);
  place(0, zeroAll);
  loops.forEach((leg, depth) => {
    body.push(
      `${indent(depth)}for (var ${v(leg)} = 0; ${v(leg)} < ${spec.sizes[leg]}; ${v(leg)}++) {`,
    );
    known.add(leg);
    place(depth + 1, 'continue;');
  });
  const inner = loops.length;
  const load = (j: number, name: (l: string) => string) =>
    `in${spec.operands[j].input}[${addressOf(spec, j, name)}]`;
  if (!blocked) {
    const product = spec.operands.map((_, j) => load(j, v));
    body.push(`${indent(inner)}acc0 = acc0 + ${product.length ? product.join(' * ') : '1.0'};`);
  } else {
    // Operands that do not depend on the block's leg are read once for all its entries.
    const shared = spec.operands.map((o, j) =>
      o.legs.some((l) => perEntry.has(l)) ? undefined : `t${j}`,
    );
    shared.forEach((t, j) => {
      if (t) body.push(`${indent(inner)}let ${t} = ${load(j, v)};`);
    });
    const perEntryDerived = analysis.derived.filter((d) => perEntry.has(d.leg));
    const perEntryPredicates = analysis.predicates.filter((j) => !placed.has(`p${j}`));
    const branchless =
      perEntryPredicates.length === 0 &&
      perEntryDerived.every((d) => emitGuardedDerivation(spec, d, v) !== undefined);
    for (let r = 0; r < BLOCK && branchless; r++) {
      // The common convolution case: no control flow per entry (lanes stay together), each
      // term selected by its range flags.
      const name = vr(r);
      body.push(`${indent(inner)}{`);
      body.push(
        `${indent(inner + 1)}let ${name(last)} = min(${v(last)}_b + ${r}, ${spec.sizes[last] - 1});`,
      );
      const ready = new Set([...known, last]);
      const flags: string[] = [];
      for (let left = [...perEntryDerived]; left.length;) {
        const j = left.findIndex((x) => inputsOfDerivation(spec, x).every((l) => ready.has(l)));
        if (j < 0) throw new Error('kernel: per-entry legs depend on each other in a cycle');
        const [d] = left.splice(j, 1);
        body.push(...emitGuardedDerivation(spec, d, name)!.map((l) => indent(inner + 1) + l));
        flags.push(`${name(d.leg)}_ok`);
        ready.add(d.leg);
      }
      const product = spec.operands.map((_, j) => shared[j] ?? load(j, name)).join(' * ');
      const term = flags.length ? `select(0.0, ${product}, ${flags.join(' && ')})` : product;
      body.push(`${indent(inner + 1)}acc${r} = acc${r} + ${term};`, `${indent(inner)}}`);
    }
    for (let r = 0; r < BLOCK && !branchless; r++) {
      const name = vr(r);
      // One pass of a loop, so that a tap outside Π (`break;`) skips this entry only.
      body.push(`${indent(inner)}loop {`);
      body.push(`${indent(inner + 1)}let ${name(last)} = ${v(last)}_b + ${r};`);
      if (spec.sizes[last] % BLOCK)
        body.push(`${indent(inner + 1)}if (${name(last)} >= ${spec.sizes[last]}) { break; }`);
      const done = new Set<string>();
      const ready = new Set([...known, last]);
      for (;;) {
        const d = analysis.derived.find(
          (x) =>
            perEntry.has(x.leg) &&
            !done.has(`d${x.pattern}`) &&
            inputsOfDerivation(spec, x).every((l) => ready.has(l)),
        );
        if (d) {
          done.add(`d${d.pattern}`);
          body.push(
            ...emitDerivation(spec, tables, 'tables', d, name, 'break;').map(
              (l) => indent(inner + 1) + l,
            ),
          );
          ready.add(d.leg);
          continue;
        }
        const p = analysis.predicates.find(
          (j) =>
            !placed.has(`p${j}`) &&
            !done.has(`p${j}`) &&
            legsOfPattern(spec, j).every((l) => ready.has(l)),
        );
        if (p !== undefined) {
          done.add(`p${p}`);
          body.push(indent(inner + 1) + emitPredicate(spec, tables, 'tables', p, name, 'break;'));
          continue;
        }
        break;
      }
      const product = spec.operands.map((_, j) => shared[j] ?? load(j, name));
      body.push(`${indent(inner + 1)}acc${r} = acc${r} + ${product.join(' * ')};`);
      body.push(`${indent(inner + 1)}break;`, `${indent(inner)}}`);
    }
  }
  for (let depth = loops.length - 1; depth >= 0; depth--) body.push(`${indent(depth)}}`);
  const scaled = (acc: string) => `${acc}${spec.scale === 1 ? '' : ` * ${f32Literal(spec.scale)}`}`;
  if (!blocked) body.push(`${indent(0)}result[${single}] = ${scaled('acc0')};`);
  else {
    for (let r = 0; r < BLOCK; r++) {
      const store = `result[${at(r)}] = ${scaled(`acc${r}`)};`;
      body.push(
        `${indent(0)}${spec.sizes[last] % BLOCK && r > 0 ? `if (${v(last)}_b + ${r} < ${spec.sizes[last]}) { ${store} }` : store}`,
      );
    }
  }

  // uniforms.size (the result's size) must be read: tfjs binds it, and a binding the shader
  // never uses is dropped from the pipeline's layout.
  const bound =
    blocked || spec.store
      ? `index >= ${invocations} || index >= uniforms.size`
      : 'index >= uniforms.size';
  const source = [`fn main(index: i32) {`, `  if (${bound}) { return; }`, ...body, `}`].join('\n');
  let loopTrips = 1;
  for (const l of analysis.loops) loopTrips *= spec.sizes[l];
  return {
    kind: 'direct',
    source,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatch: [Math.ceil(invocations / WORKGROUP), 1, 1],
    variableNames,
    key: sourceKey(`direct|${variableNames.join(',')}|${source}`),
    macs: size * loopTrips,
  };
}

/**
 * The legs that take a value per entry of a block along `last`: `last` itself and every
 * leg a pattern computes from one of them (i = o·S + k·D − P with o the blocked leg).
 */
function blockedLegs(spec: KernelSpec, analysis: KernelAnalysis, last: string): Set<string> {
  const legs = new Set([last]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of analysis.derived) {
      if (!legs.has(d.leg) && inputsOfDerivation(spec, d).some((l) => legs.has(l))) {
        legs.add(d.leg);
        grew = true;
      }
    }
  }
  return legs;
}
