import type { ChartCell, NotebookDocument, RunResult } from '../../../core/notebook/index.ts';

/**
 * What a chart cell shows: for each series, the points its run cells measured (x and y
 * read from their last results, in the order listed), and which run cells have no value
 * yet (not run, or run without the quantity, e.g. a relative error without `estimates`).
 */

export const AXIS_LABEL: Record<ChartCell['x'] | ChartCell['y'], string> = {
  relativeCost: 'cost (fraction of the FLOPs of the estimated network)',
  relativeError: 'relative error ‖estimate − exact‖ / ‖exact‖',
  maxError: 'max error',
  flops: 'dense FLOPs',
  timeTnMs: 'time of the tensor network (ms, median)',
};

export interface ChartPoint {
  run: string;
  x: number;
  /** The mean over the run's seeded draws (the one value for one draw). */
  y: number;
  /** Over two draws or more: how y moved between them. */
  spread?: { draws: number; sd: number; min: number; max: number };
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface ChartModel {
  series: ChartSeries[];
  /** Run cells listed whose last result lacks x or y. */
  missing: string[];
  /** The fewest and most draws behind a point (1 and 1 when every point is one draw). */
  draws: { min: number; max: number };
}

function valueOf(result: RunResult, key: ChartCell['x'] | ChartCell['y']): number | undefined {
  const v = result[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function chartModel(cell: ChartCell, doc: NotebookDocument): ChartModel {
  const missing: string[] = [];
  const series = cell.series.map(({ label, runs }) => {
    const points: ChartPoint[] = [];
    for (const run of runs) {
      const found = doc.cells.find((c) => c.id === run);
      const result = found?.kind === 'run' ? found.lastResult : null;
      const x = result ? valueOf(result, cell.x) : undefined;
      const y = result ? valueOf(result, cell.y) : undefined;
      if (x === undefined || y === undefined || !result) {
        missing.push(run);
        continue;
      }
      const stats = result.spread?.[cell.y];
      points.push(
        stats && result.spread
          ? {
              run,
              x,
              y,
              spread: { draws: result.spread.draws, sd: stats.sd, min: stats.min, max: stats.max },
            }
          : { run, x, y },
      );
    }
    return { label, points };
  });
  const counts = series.flatMap((s) => s.points.map((p) => p.spread?.draws ?? 1));
  const draws = counts.length
    ? { min: Math.min(...counts), max: Math.max(...counts) }
    : { min: 1, max: 1 };
  return { series, missing, draws };
}

/** Round axis bounds from 0 to a little above the largest value (1, 2 or 5 × 10^k). */
export function axisMax(values: readonly number[]): number {
  const top = Math.max(...values, 0);
  if (top <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(top));
  const step = [1, 2, 5, 10].find((m) => m * power >= top) ?? 10;
  return step * power;
}
