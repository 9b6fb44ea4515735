import type { PatternRole } from '../../core/network.ts';
import type { Derivation } from './kernelAnalysis.ts';
import { roleExtent, ROLES, type KernelSpec } from './kernelSpec.ts';

/**
 * WGSL for index patterns as affine index arithmetic. Π[k, o, i] is 1 iff
 * i = o·S + k·D − P with 0 ≤ i < I: a kernel never reads Π, it computes one leg from the
 * two others and skips the term when that leg falls outside its range (zero padding) or,
 * for o and k, when the division by S or D is not exact (a transposed convolution's gaps).
 *
 * Tensor dropout thins a role to listed positions: only then is a table read (keep[j] for
 * a thinned input leg, its inverse for a thinned computed leg, −1 where not kept). All
 * tables of a kernel share one int32 buffer.
 */

export interface TableEntry {
  pattern: number;
  role: PatternRole;
  kind: 'keep' | 'inverse';
  offset: number;
}

export interface PatternTables {
  data: Int32Array;
  entries: TableEntry[];
}

/** The tables a kernel needs (empty when no pattern is thinned). */
export function patternTables(spec: KernelSpec): PatternTables {
  const entries: TableEntry[] = [];
  const chunks: number[][] = [];
  let offset = 0;
  spec.patterns.forEach((p, pattern) => {
    for (const role of ROLES) {
      const keep = p.keep?.[role];
      if (!keep) continue;
      const inverse = new Array<number>(roleExtent(p.params, role)).fill(-1);
      keep.forEach((pos, j) => (inverse[pos] = j));
      for (const [kind, values] of [
        ['keep', keep],
        ['inverse', inverse],
      ] as const) {
        entries.push({ pattern, role, kind, offset });
        chunks.push([...values]);
        offset += values.length;
      }
    }
  });
  return { data: Int32Array.from(chunks.flat()), entries };
}

export type LegExpr = (leg: string) => string;

/** Names every leg with a WGSL identifier (leg names are user text). */
export function legNames(legs: readonly string[]): LegExpr {
  const ids = new Map(legs.map((l, j) => [l, `l${j}`]));
  return (leg) => {
    const id = ids.get(leg);
    if (id === undefined) throw new Error(`kernel: unknown leg '${leg}'`);
    return id;
  };
}

function tableRead(
  tables: PatternTables,
  tableVar: string,
  pattern: number,
  role: PatternRole,
  kind: 'keep' | 'inverse',
  index: string,
): string {
  const e = tables.entries.find((t) => t.pattern === pattern && t.role === role && t.kind === kind);
  if (!e) throw new Error(`kernel: no ${kind} table for pattern ${pattern} role ${role}`);
  return `${tableVar}[${e.offset} + ${index}]`;
}

/** The full-range position a role's leg stands for. */
function position(
  spec: KernelSpec,
  tables: PatternTables,
  tableVar: string,
  pattern: number,
  role: PatternRole,
  v: LegExpr,
): string {
  const p = spec.patterns[pattern];
  const leg = v(p.legs[role]);
  return p.keep?.[role] ? tableRead(tables, tableVar, pattern, role, 'keep', leg) : leg;
}

/**
 * Statements defining the computed leg `d` as `let <v(d.leg)> = …;`, with `fail` (e.g.
 * `continue;`) run when Π is 0 there. Names are prefixed by `tag` to stay unique.
 */
export function emitDerivation(
  spec: KernelSpec,
  tables: PatternTables,
  tableVar: string,
  d: Derivation,
  v: LegExpr,
  fail: string,
): string[] {
  const p = spec.patterns[d.pattern];
  const { stride: S, dilation: D, padLeft: P } = p.params;
  const pos = (role: PatternRole) => position(spec, tables, tableVar, d.pattern, role, v);
  const extent = roleExtent(p.params, d.role);
  const t = `${v(d.leg)}_p`;
  const lines: string[] = [];
  const exact = (num: string, den: number) => {
    if (den === 1) {
      lines.push(`let ${t} = ${num};`, `if (${t} < 0 || ${t} >= ${extent}) { ${fail} }`);
    } else {
      lines.push(
        `let ${t}_n = ${num};`,
        `if (${t}_n < 0 || ${t}_n % ${den} != 0) { ${fail} }`,
        `let ${t} = ${t}_n / ${den};`,
        `if (${t} >= ${extent}) { ${fail} }`,
      );
    }
  };
  switch (d.role) {
    case 'i':
      exact(`${pos('o')} * ${S} + ${pos('k')} * ${D}${plus(-P)}`, 1);
      break;
    case 'o':
      exact(`${pos('i')}${plus(P)} - ${pos('k')} * ${D}`, S);
      break;
    case 'k':
      exact(`${pos('i')}${plus(P)} - ${pos('o')} * ${S}`, D);
      break;
  }
  if (p.keep?.[d.role]) {
    lines.push(
      `let ${v(d.leg)} = ${tableRead(tables, tableVar, d.pattern, d.role, 'inverse', t)};`,
      `if (${v(d.leg)} < 0) { ${fail} }`,
    );
  } else {
    lines.push(`let ${v(d.leg)} = ${t};`);
  }
  return lines;
}

/** ` + c` / ` - c` (nothing for 0): a constant term, negative ones included. */
function plus(c: number): string {
  return c === 0 ? '' : c > 0 ? ` + ${c}` : ` - ${-c}`;
}

/**
 * A computed leg without a branch, for the entries of a block that must not skip one
 * another: the leg clamped into its range, and a flag `<leg>_ok` telling whether Π is 1
 * there (the term is then selected, not skipped). For i = o·S + k·D − P, and for
 * o = i + P − k·D where S = 1 (a phase of a split input VJP), with no thinned role;
 * undefined otherwise.
 */
export function emitGuardedDerivation(
  spec: KernelSpec,
  d: Derivation,
  v: LegExpr,
): string[] | undefined {
  const p = spec.patterns[d.pattern];
  if (p.keep?.i || p.keep?.o || p.keep?.k) return undefined;
  const { stride: S, dilation: D, padLeft: P } = p.params;
  let value: string;
  if (d.role === 'i') value = `${v(p.legs.o)} * ${S} + ${v(p.legs.k)} * ${D}${plus(-P)}`;
  else if (d.role === 'o' && S === 1) value = `${v(p.legs.i)}${plus(P)} - ${v(p.legs.k)} * ${D}`;
  else return undefined;
  const extent = roleExtent(p.params, d.role);
  const t = `${v(d.leg)}_p`;
  return [
    `let ${t} = ${value};`,
    `let ${v(d.leg)}_ok = ${t} >= 0 && ${t} < ${extent};`,
    `let ${v(d.leg)} = clamp(${t}, 0, ${extent - 1});`,
  ];
}

/** Π as a 0/1 test on three known legs. */
export function emitPredicate(
  spec: KernelSpec,
  tables: PatternTables,
  tableVar: string,
  pattern: number,
  v: LegExpr,
  fail: string,
): string {
  const { stride: S, dilation: D, padLeft: P } = spec.patterns[pattern].params;
  const pos = (role: PatternRole) => position(spec, tables, tableVar, pattern, role, v);
  return `if (${pos('i')} != ${pos('o')} * ${S} + ${pos('k')} * ${D}${plus(-P)}) { ${fail} }`;
}

/** The legs a derivation or predicate reads. */
export function inputsOfDerivation(spec: KernelSpec, d: Derivation): string[] {
  return ROLES.filter((r) => r !== d.role).map((r) => spec.patterns[d.pattern].legs[r]);
}

export function legsOfPattern(spec: KernelSpec, pattern: number): string[] {
  return ROLES.map((r) => spec.patterns[pattern].legs[r]);
}

/** `offset + Σ leg·stride` of an operand. */
export function addressOf(spec: KernelSpec, operand: number, v: LegExpr): string {
  const op = spec.operands[operand];
  const terms = op.legs.flatMap((l, a) =>
    op.strides[a] === 0 || spec.sizes[l] === 1
      ? []
      : [op.strides[a] === 1 ? v(l) : `${v(l)} * ${op.strides[a]}`],
  );
  if (op.offset) terms.push(String(op.offset));
  return terms.length ? terms.join(' + ') : '0';
}

/** WGSL float literal (always with a decimal point or exponent). */
export function f32Literal(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`kernel: non-finite constant ${x}`);
  const s = String(Math.fround(x));
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
