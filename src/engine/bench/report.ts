import { BENCH_OPS, type BenchOp } from './ops.ts';
import type { Measurement } from './sides.ts';
import { median } from './timing.ts';

/**
 * What a benchmark run produces, and its text forms: one line per case (the format
 * scripts and the issue tracker quote: `LAYER OP: TN <t> ms built-in <t> ms (<name>)
 * ratio <r> err <e>`), the table, and the median TN / built-in ratio per op.
 */

export interface CaseResult {
  layer: string;
  kind: string;
  op: BenchOp;
  batch: number;
  inputBytes: number;
  resultBytes: number;
  tn?: Measurement & { path: number[][]; algorithm: string; planMs: number; steps: string[] };
  builtin?: Measurement;
  /** Why the built-in or a timing is missing. */
  note?: string;
  /** max |TN − built-in| and max |built-in|, PyTorch layout. */
  maxAbsError?: number;
  maxAbs?: number;
  /** TN time / built-in time (< 1: the engine is faster). */
  ratio?: number;
  wallMs: number;
}

export interface EinsumResult {
  equation: string;
  shapes: number[][];
  engineMs: number;
  einsumMs: number;
  /** tf.einsum time / engine time. */
  speedup: number;
  maxAbsError: number;
}

export interface BenchReport {
  backend: string;
  fallbacks: string[];
  batch: number;
  /** The layers file's batch (the run may use a smaller one on slow devices). */
  fileBatch?: number;
  /** Whether the rewrite rules were applied first (bench default). */
  simplified?: boolean;
  runs: number;
  startedAt: string;
  totalMs: number;
  cases: CaseResult[];
  einsum: EinsumResult[];
}

const ms = (m: number | undefined) =>
  m === undefined ? '—' : m >= 100 ? m.toFixed(0) : m.toFixed(2);
const mib = (b: number | undefined) => (b === undefined ? '—' : (b / 2 ** 20).toFixed(1));

export function formatCaseLine(r: CaseResult): string {
  const parts = [
    `${r.layer} ${r.op}:`,
    `TN ${ms(r.tn?.medianMs)} ms`,
    `built-in ${ms(r.builtin?.medianMs)} ms${r.builtin ? ` (${r.builtin.name})` : ''}`,
    r.ratio !== undefined ? `ratio ${r.ratio.toFixed(2)}` : '',
    r.maxAbsError !== undefined ? `err ${r.maxAbsError.toExponential(1)}` : '',
    r.tn || r.builtin
      ? `extra TN ${r.tn ? `${r.tn.extraBytes} B` : '—'} built-in ${r.builtin ? `${r.builtin.extraBytes} B` : '—'}`
      : '',
    `(${(r.wallMs / 1000).toFixed(1)} s)`,
    r.note ? `— ${r.note}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

export interface OpSummary {
  median?: number;
  min?: number;
  max?: number;
  count: number;
}

/** Per op that was run: the median, least and largest TN / built-in time ratio. */
export function summarize(report: Pick<BenchReport, 'cases'>): Record<string, OpSummary> {
  const out: Record<string, OpSummary> = {};
  for (const op of BENCH_OPS) {
    if (!report.cases.some((c) => c.op === op)) continue;
    const ratios = report.cases
      .filter((c) => c.op === op && c.ratio !== undefined)
      .map((c) => c.ratio!);
    out[op] = ratios.length
      ? {
          median: median(ratios),
          min: Math.min(...ratios),
          max: Math.max(...ratios),
          count: ratios.length,
        }
      : { count: 0 };
  }
  return out;
}

/** The per-op medians, one line each. */
export function formatSummary(report: Pick<BenchReport, 'cases'>): string[] {
  const out = ['median TN/built-in time ratio per op (< 1: engine faster):'];
  for (const [op, s] of Object.entries(summarize(report))) {
    out.push(
      `  ${op.padEnd(12)} ${s.median === undefined ? '—' : s.median.toFixed(2)}  over ${s.count} layers  (range ${s.min?.toFixed(2) ?? '—'} … ${s.max?.toFixed(2) ?? '—'})`,
    );
  }
  return out;
}

/** The readable table: one row per case, then the per-op medians and the einsum comparison. */
export function formatReport(report: BenchReport): string {
  const header = [
    'layer',
    'op',
    'TN ms',
    'built-in ms',
    'TN/built-in',
    'TN extra MiB',
    'built-in extra MiB',
    'input MiB',
    'result MiB',
    'max abs err (rel)',
    'built-in',
    'note',
  ];
  const rows = report.cases.map((r) => [
    r.layer,
    r.op,
    ms(r.tn?.medianMs),
    ms(r.builtin?.medianMs),
    r.ratio === undefined ? '—' : r.ratio.toFixed(2),
    mib(r.tn?.extraBytes),
    mib(r.builtin?.extraBytes),
    mib(r.inputBytes),
    mib(r.resultBytes),
    r.maxAbsError === undefined
      ? '—'
      : `${r.maxAbsError.toExponential(1)} (${(r.maxAbsError / (r.maxAbs || 1)).toExponential(1)})`,
    r.builtin?.name ?? '—',
    r.note ?? '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const batchNote =
    report.fileBatch !== undefined && report.batch !== report.fileBatch
      ? ` (reduced from the layers file's ${report.fileBatch})`
      : '';
  const simplified =
    report.simplified === undefined
      ? ''
      : report.simplified
        ? ', networks simplified by the rewrite rules'
        : ', unsimplified networks';
  const out = [
    `backend ${report.backend}${report.fallbacks.length ? ` (${report.fallbacks.join('; ')})` : ''}, batch ${report.batch}${batchNote}${simplified}, median of ${report.runs} interleaved runs, total ${(report.totalMs / 1000).toFixed(0)} s`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...formatSummary(report),
  ];
  if (report.einsum.length) {
    out.push('', 'engine vs tf.einsum:');
    for (const e of report.einsum) {
      out.push(
        `  ${e.equation.padEnd(14)} ${JSON.stringify(e.shapes)}: engine ${ms(e.engineMs)} ms, tf.einsum ${ms(e.einsumMs)} ms, ${e.speedup.toFixed(1)}× faster, max abs err ${e.maxAbsError.toExponential(1)}`,
      );
    }
  }
  return out.join('\n');
}
