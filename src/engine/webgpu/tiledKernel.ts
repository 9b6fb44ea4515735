import { analyzeKernel, legsOfSpec, type Derivation, type KernelAnalysis } from './kernelAnalysis.ts';
import { ROLES, type KernelSpec } from './kernelSpec.ts';
import { decompose, rowMajor, sourceKey, type GeneratedKernel } from './generatedKernel.ts';
import { addressOf, emitDerivation, emitPredicate, f32Literal, legNames, patternTables } from './wgslPatterns.ts';

/**
 * The tiled kernel: a pairwise contraction of two operands as a batched matrix product
 * [batch, M, K]·[batch, K, N] → [batch, M, N], each operand read in place through its
 * strides and its index patterns (no transpose, no im2col: a convolution's input is read
 * through Π while the tile is loaded — the implicit GEMM). Tiles of both operands go
 * through workgroup memory; each invocation accumulates an RM×RN block in registers. The
 * group index of a grouped convolution is a batch leg: one dispatch for all groups.
 */

export interface MatrixRoles {
  batch: string[];
  m: string[];
  n: string[];
  k: string[];
  /** Index patterns read with each side. */
  patternsA: number[];
  patternsB: number[];
  derivedA: Derivation[];
  derivedB: Derivation[];
  predicatesA: number[];
  predicatesB: number[];
}

const TK = 16;
const THREADS = 16;

function extent(legs: readonly string[], sizes: Readonly<Record<string, number>>): number {
  let n = 1;
  for (const l of legs) n *= sizes[l];
  return n;
}

/**
 * Splits a two-operand kernel into matrix roles, or says why it is not a matrix product
 * (a summed leg private to one side, a diagonal result, …): then a direct kernel runs it.
 */
export function matrixRoles(spec: KernelSpec): MatrixRoles | string {
  if (spec.operands.length !== 2) return 'not a product of two operands';
  if (new Set(spec.output).size !== spec.output.length) return 'the result is a diagonal';
  const [opA, opB] = spec.operands;
  const onA = new Set(opA.legs);
  const onB = new Set(opB.legs);
  const out = new Set(spec.output);
  // A leg may be computed only where it is private to one operand's side.
  const analysis: KernelAnalysis = analyzeKernel(spec, (leg) => !(onA.has(leg) && onB.has(leg)) && !out.has(leg));
  const side = new Map<number, 'A' | 'B'>();
  for (const d of analysis.derived) {
    if (onA.has(d.leg)) side.set(d.pattern, 'A');
    else if (onB.has(d.leg)) side.set(d.pattern, 'B');
  }
  // Patterns computing a hidden leg, and predicates, go with the side that has their legs.
  const visibleA = new Set(onA);
  const visibleB = new Set(onB);
  for (const [j, s] of side) for (const r of ROLES) (s === 'A' ? visibleA : visibleB).add(spec.patterns[j].legs[r]);
  for (let j = 0; j < spec.patterns.length; j++) {
    if (side.has(j)) continue;
    const d = analysis.derived.find((x) => x.pattern === j);
    const legs = ROLES.map((r) => spec.patterns[j].legs[r]).filter((l) => l !== d?.leg);
    const s = legs.every((l) => visibleA.has(l)) ? 'A' : legs.every((l) => visibleB.has(l)) ? 'B' : legs.some((l) => visibleA.has(l)) ? 'A' : 'B';
    side.set(j, s);
    for (const r of ROLES) (s === 'A' ? visibleA : visibleB).add(spec.patterns[j].legs[r]);
  }
  const derivedA = analysis.derived.filter((d) => side.get(d.pattern) === 'A');
  const derivedB = analysis.derived.filter((d) => side.get(d.pattern) === 'B');
  for (const d of derivedA) visibleA.delete(d.leg);
  for (const d of derivedB) visibleB.delete(d.leg);
  if (derivedA.some((d) => visibleB.has(d.leg)) || derivedB.some((d) => visibleA.has(d.leg))) return 'a computed leg is read by both sides';

  const roles: MatrixRoles = {
    batch: [],
    m: [],
    n: [],
    k: [],
    patternsA: [...side].filter(([, s]) => s === 'A').map(([j]) => j),
    patternsB: [...side].filter(([, s]) => s === 'B').map(([j]) => j),
    derivedA,
    derivedB,
    predicatesA: analysis.predicates.filter((j) => side.get(j) === 'A'),
    predicatesB: analysis.predicates.filter((j) => side.get(j) === 'B'),
  };
  const all = new Set([...visibleA, ...visibleB]);
  for (const l of spec.output) if (!all.has(l)) return `result leg '${l}' is on neither side`;
  // Output legs in result order (stores walk the result in order); summed legs in A's order.
  for (const l of spec.output) {
    if (visibleA.has(l) && visibleB.has(l)) roles.batch.push(l);
    else if (visibleA.has(l)) roles.m.push(l);
    else roles.n.push(l);
  }
  const summed = [...opA.legs, ...[...visibleA].filter((l) => !onA.has(l)), ...[...visibleB]].filter((l, j, a) => a.indexOf(l) === j && !out.has(l));
  for (const l of summed) {
    if (visibleA.has(l) && visibleB.has(l)) roles.k.push(l);
    else return `summed leg '${l}' is private to one side`;
  }
  return roles;
}

function tileFor(extentOf: number): number {
  return extentOf >= 48 ? 64 : extentOf >= 24 ? 32 : 16;
}

export function tiledKernel(spec: KernelSpec, roles: MatrixRoles): GeneratedKernel {
  const { sizes } = spec;
  const v = legNames(legsOfSpec(spec));
  const tables = patternTables(spec);
  const variableNames = [...Array.from({ length: spec.inputs }, (_, j) => `in${j}`), ...(tables.data.length ? ['tables'] : [])];
  const [B, M, N, K] = [roles.batch, roles.m, roles.n, roles.k].map((l) => extent(l, sizes));
  const TM = tileFor(M);
  const TN = tileFor(N);
  const RM = TM / THREADS;
  const RN = TN / THREADS;

  const reader = (name: string, operand: number, rows: string[], derived: Derivation[], predicates: number[]) => {
    const lines = [
      `fn ${name}(bi: i32, ri: i32, ki: i32) -> f32 {`,
      ...decompose('bi', roles.batch, sizes, v, 'rb'),
      ...decompose('ri', rows, sizes, v, 'rr'),
      ...decompose('ki', roles.k, sizes, v, 'rk'),
    ];
    for (const d of derived) lines.push(...emitDerivation(spec, tables, 'tables', d, v, 'return 0.0;'));
    for (const j of predicates) lines.push(emitPredicate(spec, tables, 'tables', j, v, 'return 0.0;'));
    lines.push(`return in${spec.operands[operand].input}[${addressOf(spec, operand, v)}];`, `}`);
    return lines.map((l, j) => (j === 0 || j === lines.length - 1 ? l : `  ${l}`)).join('\n');
  };

  const outStrides = rowMajor(spec.output.map((l) => sizes[l]));
  const outTerm = (l: string) => {
    const s = outStrides[spec.output.indexOf(l)];
    return s === 1 ? v(l) : `${v(l)} * ${s}`;
  };
  const store = [
    `fn store(bi: i32, mi: i32, ni: i32, value: f32) {`,
    ...[...decompose('bi', roles.batch, sizes, v, 'sb'), ...decompose('mi', roles.m, sizes, v, 'sm'), ...decompose('ni', roles.n, sizes, v, 'sn')].map((l) => `  ${l}`),
    `  let at = ${spec.output.length ? spec.output.map(outTerm).join(' + ') : '0'};`,
    `  if (at < uniforms.size) { result[at] = value${spec.scale === 1 ? '' : ` * ${f32Literal(spec.scale)}`}; }`,
    `}`,
  ].join('\n');

  const source = `
var<workgroup> tileA: array<f32, ${TK * TM}>;
var<workgroup> tileB: array<f32, ${TK * TN}>;

${reader('readA', 0, roles.m, roles.derivedA, roles.predicatesA)}

${reader('readB', 1, roles.n, roles.derivedB, roles.predicatesB)}

${store}

fn main(index: i32) {
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let flat = i32(localIndex);
  let n0 = i32(workgroupId.x) * ${TN};
  let m0 = i32(workgroupId.y) * ${TM};
  let bi = i32(workgroupId.z);
  var acc: array<f32, ${RM * RN}>;
  for (var k0 = 0; k0 < ${K}; k0 = k0 + ${TK}) {
    for (var e = flat; e < ${TM * TK}; e = e + ${THREADS * THREADS}) {
      let mm = e % ${TM};
      let kk = e / ${TM};
      var a = 0.0;
      if (m0 + mm < ${M} && k0 + kk < ${K}) { a = readA(bi, m0 + mm, k0 + kk); }
      tileA[e] = a;
    }
    for (var e = flat; e < ${TN * TK}; e = e + ${THREADS * THREADS}) {
      let nn = e % ${TN};
      let kk = e / ${TN};
      var b = 0.0;
      if (n0 + nn < ${N} && k0 + kk < ${K}) { b = readB(bi, n0 + nn, k0 + kk); }
      tileB[e] = b;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TK}; kk = kk + 1) {
      var ra: array<f32, ${RM}>;
      var rb: array<f32, ${RN}>;
      for (var r = 0; r < ${RM}; r = r + 1) { ra[r] = tileA[kk * ${TM} + ty + r * ${THREADS}]; }
      for (var c = 0; c < ${RN}; c = c + 1) { rb[c] = tileB[kk * ${TN} + tx + c * ${THREADS}]; }
      for (var r = 0; r < ${RM}; r = r + 1) {
        for (var c = 0; c < ${RN}; c = c + 1) {
          acc[r * ${RN} + c] = fma(ra[r], rb[c], acc[r * ${RN} + c]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0; r < ${RM}; r = r + 1) {
    let m = m0 + ty + r * ${THREADS};
    for (var c = 0; c < ${RN}; c = c + 1) {
      let n = n0 + tx + c * ${THREADS};
      if (m < ${M} && n < ${N}) { store(bi, m, n, acc[r * ${RN} + c]); }
    }
  }
}
`;
  return {
    kind: 'tiled',
    source,
    workgroupSize: [THREADS, THREADS, 1],
    dispatch: [Math.ceil(N / TN), Math.ceil(M / TM), B],
    variableNames,
    key: sourceKey(`tiled|${variableNames.join(',')}|${source}`),
    macs: B * M * N * K,
  };
}

/** Whether the tiled kernel is worth it: both matrix sides wide enough to fill a tile. */
export function preferTiled(spec: KernelSpec, roles: MatrixRoles): boolean {
  const [B, M, N, K] = [roles.batch, roles.m, roles.n, roles.k].map((l) => extent(l, spec.sizes));
  if (B > 65535 || Math.ceil(M / 16) > 65535 || Math.ceil(N / 16) > 65535) return false;
  return M >= 8 && N >= 8 && K >= 4;
}
