import type {
  DiagramCell,
  DrawStats,
  RunCell,
  RunResult as CellResult,
  Spread,
} from '../../../core/notebook/index.ts';

/**
 * A run cell's seeded draws: draw j runs the cell with input seed `seed + j` on its diagram
 * with every dropout step re-seeded (`seed + j`), so a random estimate is measured over
 * several inputs and masks; what the cell keeps is the mean of each quantity and, for two
 * draws or more, its spread (sample standard deviation, min and max).
 */

const SEEDS = 2 ** 31 - 1;
const shift = (seed: number, j: number) => (seed + j) % (SEEDS + 1);

/** The run cell and diagram of draw j (draw 0 is the cell as it is). */
export function drawOf(
  cell: RunCell,
  diagram: DiagramCell,
  j: number,
): { cell: RunCell; diagram: DiagramCell } {
  if (j === 0) return { cell, diagram };
  const steps = diagram.steps.map((s) =>
    s.kind === 'dropout' ? { ...s, seed: shift(s.seed, j) } : s,
  );
  return {
    cell: { ...cell, seed: shift(cell.seed, j) },
    diagram: steps.some((s, k) => s !== diagram.steps[k]) ? { ...diagram, steps } : diagram,
  };
}

/** Mean, sample standard deviation (n − 1), min and max; undefined if a draw lacks it. */
export function drawStats(values: readonly (number | null | undefined)[]): DrawStats | undefined {
  if (values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    return undefined;
  const xs = values as number[];
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd =
    xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

const SPREAD_KEYS = ['relativeError', 'relativeCost', 'maxError', 'timeTnMs', 'flops'] as const;

/** One result from the draws' results: each quantity's mean, and the spread. */
export function mergeDraws(draws: readonly CellResult[]): CellResult {
  const [first] = draws;
  if (draws.length === 1) return first;
  const spread: Spread = { draws: draws.length };
  const merged: CellResult = { ...first };
  for (const key of SPREAD_KEYS) {
    const stats = drawStats(draws.map((d) => d[key]));
    if (!stats) continue;
    spread[key] = stats;
    merged[key] = stats.mean;
  }
  const builtin = drawStats(draws.map((d) => d.timeBuiltinMs));
  merged.timeBuiltinMs = builtin ? builtin.mean : first.timeBuiltinMs;
  merged.peakBytes = draws.every((d) => typeof d.peakBytes === 'number')
    ? Math.max(...draws.map((d) => d.peakBytes!))
    : first.peakBytes;
  return { ...merged, spread };
}
