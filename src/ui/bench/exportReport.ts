import type { BenchReport, CaseResult } from '../run/runMessages.ts';

/** The benchmark report as files: the harness's JSON as is, and one CSV row per case. */

const COLUMNS: [string, (c: CaseResult) => string | number | undefined][] = [
  ['layer', (c) => c.layer],
  ['kind', (c) => c.kind],
  ['op', (c) => c.op],
  ['batch', (c) => c.batch],
  ['tn_median_ms', (c) => c.tn?.medianMs],
  ['tn_min_ms', (c) => (c.tn ? Math.min(...c.tn.runsMs) : undefined)],
  ['tn_max_ms', (c) => (c.tn ? Math.max(...c.tn.runsMs) : undefined)],
  ['builtin_median_ms', (c) => c.builtin?.medianMs],
  ['builtin_min_ms', (c) => (c.builtin ? Math.min(...c.builtin.runsMs) : undefined)],
  ['builtin_max_ms', (c) => (c.builtin ? Math.max(...c.builtin.runsMs) : undefined)],
  ['ratio_tn_over_builtin', (c) => c.ratio],
  ['tn_peak_bytes', (c) => c.tn?.peakBytes],
  ['builtin_peak_bytes', (c) => c.builtin?.peakBytes],
  ['tn_extra_bytes', (c) => c.tn?.extraBytes],
  ['builtin_extra_bytes', (c) => c.builtin?.extraBytes],
  ['max_abs_error', (c) => c.maxAbsError],
  ['max_abs', (c) => c.maxAbs],
  ['builtin', (c) => c.builtin?.name],
  ['plan', (c) => c.tn?.algorithm],
  ['note', (c) => c.note],
];

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function reportToCsv(report: Pick<BenchReport, 'cases'>): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const c of report.cases) lines.push(COLUMNS.map(([, get]) => cell(get(c))).join(','));
  return `${lines.join('\n')}\n`;
}

export function reportToJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Offers text as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
