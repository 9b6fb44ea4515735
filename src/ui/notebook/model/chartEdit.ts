import {
  NOTEBOOK_LIMITS,
  type ChartCell,
  type NotebookDocument,
  type RunCell,
} from '../../../core/notebook/index.ts';

/**
 * Editing a chart cell: what makes a series list invalid, in words (checked before the edit
 * reaches the document, so the user sees why and the field keeps what they typed), and the
 * chart a new chart cell starts as.
 */

export type Series = ChartCell['series'][number];

const MAX_LABEL = 80;

/** Why `series` cannot be a chart's series, or undefined when it can. */
export function seriesProblem(series: readonly Series[]): string | undefined {
  if (series.length === 0) return 'a chart needs at least one series';
  if (series.length > NOTEBOOK_LIMITS.maxChartSeries)
    return `a chart has at most ${NOTEBOOK_LIMITS.maxChartSeries} series`;
  const seen = new Set<string>();
  for (const [k, s] of series.entries()) {
    const label = s.label.trim();
    const which = `series ${k + 1}`;
    if (!label) return `${which} needs a label`;
    if (label.length > MAX_LABEL)
      return `the label of ${which} is longer than ${MAX_LABEL} characters`;
    if (/[\n\r]/.test(s.label)) return `the label of ${which} must be one line`;
    if (seen.has(label)) return `two series are called “${label}”: give each its own label`;
    seen.add(label);
    if (s.runs.length === 0) return `“${label}” plots no run cell: tick at least one`;
    if (s.runs.length > NOTEBOOK_LIMITS.maxChartPoints)
      return `“${label}” plots ${s.runs.length} run cells; the limit is ${NOTEBOOK_LIMITS.maxChartPoints}`;
  }
  return undefined;
}

/** A label no series of `series` has: "series n". */
export function freshLabel(series: readonly Series[]): string {
  const used = new Set(series.map((s) => s.label.trim()));
  for (let n = series.length + 1; ; n++) if (!used.has(`series ${n}`)) return `series ${n}`;
}

/** The run cells of a document, in its order. */
export function runCells(doc: NotebookDocument): RunCell[] {
  return doc.cells.filter((c): c is RunCell => c.kind === 'run');
}

/**
 * A new chart of a document's run cells (all of them, up to the limit, as one series):
 * relative error against cost when some run estimates another diagram, else time against
 * FLOPs. Undefined when there is no run cell to plot.
 */
export function newChart(doc: NotebookDocument, id: string): ChartCell | undefined {
  const runs = runCells(doc);
  if (runs.length === 0) return undefined;
  const estimating = runs.filter((r) => r.estimates !== undefined);
  const picked = (estimating.length ? estimating : runs).slice(0, NOTEBOOK_LIMITS.maxChartPoints);
  return {
    id,
    kind: 'chart',
    ...(estimating.length
      ? { x: 'relativeCost', y: 'relativeError' }
      : { x: 'flops', y: 'timeTnMs' }),
    series: [{ label: 'series 1', runs: picked.map((r) => r.id) }],
  };
}
