import { analyzeKernel, legsOfSpec, type KernelAnalysis } from './kernelAnalysis.ts';
import { outputSize, type KernelSpec } from './kernelSpec.ts';
import { rowMajorStrides } from '../../core/tensor.ts';
import { decompose, sourceKey, type GeneratedKernel } from './generatedKernel.ts';
import { addressOf, emitDerivation, emitPredicate, f32Literal, inputsOfDerivation, legNames, legsOfPattern, patternTables } from './wgslPatterns.ts';

/**
 * The direct kernel: one invocation per result entry, looping over the summed legs that
 * no index pattern computes. It suits contractions with a short sum per entry and no
 * matrix structure worth tiling: depthwise convolutions (each channel its own 7×7 sum),
 * the summed pattern Π̄ of KFAC-reduce (x·Π̄ over o), unfolding, or the final reordering.
 * Each computed leg and each predicate sits at the outermost loop where its inputs are
 * known, so a tap in the padding skips the inner loops at once.
 */

const WORKGROUP = 64;

export function directKernel(spec: KernelSpec, analysis: KernelAnalysis = analyzeKernel(spec)): GeneratedKernel {
  const v = legNames(legsOfSpec(spec));
  const tables = patternTables(spec);
  const variableNames = [...Array.from({ length: spec.inputs }, (_, j) => `in${j}`), ...(tables.data.length ? ['tables'] : [])];
  const size = outputSize(spec);

  // Loops: the leg with the largest stride outermost (the inner loops walk memory in order).
  const maxStride = (leg: string) => Math.max(0, ...spec.operands.flatMap((o) => o.legs.flatMap((l, a) => (l === leg ? [o.strides[a]] : []))));
  const loops = [...analysis.loops].sort((a, b) => maxStride(b) - maxStride(a));

  const known = new Set<string>();
  const placed = new Set<string>();
  const body: string[] = [];
  const indent = (n: number) => '  '.repeat(n + 1);

  // The result coordinates. A leg named twice is a diagonal: each position gets its own
  // coordinate, and entries off the diagonal are zero.
  if (new Set(spec.output).size === spec.output.length) {
    body.push(...decompose('index', spec.output, spec.sizes, v, 'rest').map((l) => indent(0) + l));
  } else {
    const strides = rowMajorStrides(spec.output.map((l) => spec.sizes[l]));
    spec.output.forEach((l, a) => {
      const first = spec.output.indexOf(l) === a;
      const name = first ? v(l) : `${v(l)}_d${a}`;
      body.push(`${indent(0)}let ${name} = (index / ${strides[a]}) % ${spec.sizes[l]};`);
      if (!first) body.push(`${indent(0)}if (${name} != ${v(l)}) { result[index] = 0.0; return; }`);
    });
  }
  for (const l of spec.output) known.add(l);

  const place = (depth: number, fail: string) => {
    for (;;) {
      const d = analysis.derived.find((x) => !placed.has(`d${x.pattern}`) && inputsOfDerivation(spec, x).every((l) => known.has(l)));
      if (d) {
        placed.add(`d${d.pattern}`);
        body.push(...emitDerivation(spec, tables, 'tables', d, v, fail).map((l) => indent(depth) + l));
        known.add(d.leg);
        continue;
      }
      const p = analysis.predicates.find((j) => !placed.has(`p${j}`) && legsOfPattern(spec, j).every((l) => known.has(l)));
      if (p !== undefined) {
        placed.add(`p${p}`);
        body.push(indent(depth) + emitPredicate(spec, tables, 'tables', p, v, fail));
        continue;
      }
      return;
    }
  };

  body.push(`${indent(0)}var acc = 0.0;`);
  place(0, 'result[index] = 0.0; return;');
  loops.forEach((leg, depth) => {
    body.push(`${indent(depth)}for (var ${v(leg)} = 0; ${v(leg)} < ${spec.sizes[leg]}; ${v(leg)}++) {`);
    known.add(leg);
    place(depth + 1, 'continue;');
  });
  const product = spec.operands.map((_, j) => `in${spec.operands[j].input}[${addressOf(spec, j, v)}]`);
  body.push(`${indent(loops.length)}acc = acc + ${product.length ? product.join(' * ') : '1.0'};`);
  for (let depth = loops.length - 1; depth >= 0; depth--) body.push(`${indent(depth)}}`);
  body.push(`${indent(0)}result[index] = acc${spec.scale === 1 ? '' : ` * ${f32Literal(spec.scale)}`};`);

  const source = [`fn main(index: i32) {`, `  if (index >= uniforms.size) { return; }`, ...body, `}`].join('\n');
  let loopTrips = 1;
  for (const l of analysis.loops) loopTrips *= spec.sizes[l];
  return {
    kind: 'direct',
    source,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames,
    key: sourceKey(`direct|${variableNames.join(',')}|${source}`),
    macs: size * loopTrips,
  };
}
