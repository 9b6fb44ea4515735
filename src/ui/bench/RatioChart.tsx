import type { CaseResult } from '../run/runMessages.ts';
import { BENCH_OPS } from '../../engine/bench/ops.ts';

const ROW_H = 12;
const LABEL_W = 210;
const WIDTH = 640;
const PLOT_W = WIDTH - LABEL_W - 60;

/**
 * TN time / built-in time per case on a log scale around 1: bars to the left of the line
 * are cases where the tensor network is faster.
 */
export function RatioChart({ cases }: { cases: CaseResult[] }) {
  const rows = cases.filter((c) => c.ratio !== undefined);
  if (rows.length === 0) return null;
  const logs = rows.map((c) => Math.log10(c.ratio!));
  const span = Math.max(0.5, ...logs.map(Math.abs));
  const mid = LABEL_W + PLOT_W / 2;
  const x = (l: number) => mid + (l / span) * (PLOT_W / 2);
  const height = rows.length * ROW_H + 22;
  const ticks = [-span, -span / 2, 0, span / 2, span];
  return (
    <figure className="bench-chart" data-testid="bench-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label="TN / built-in time per case, log scale"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={x(t)}
              x2={x(t)}
              y1={0}
              y2={rows.length * ROW_H}
              className={t === 0 ? 'chart-one' : 'chart-grid'}
            />
            <text x={x(t)} y={rows.length * ROW_H + 10} textAnchor="middle" className="chart-value">
              {formatTick(10 ** t)}×
            </text>
          </g>
        ))}
        {rows.map((c, j) => {
          const l = logs[j];
          const y = j * ROW_H + 2;
          const cls = `bar-op-${BENCH_OPS.indexOf(c.op)}`;
          return (
            <g key={`${c.layer}-${c.op}`}>
              <text x={LABEL_W - 4} y={y + ROW_H - 4} textAnchor="end" className="chart-label">
                {c.layer} · {c.op}
              </text>
              <rect
                x={Math.min(mid, x(l))}
                y={y}
                width={Math.max(1, Math.abs(x(l) - mid))}
                height={ROW_H - 3}
                className={cls}
              >
                <title>{`${c.layer} ${c.op}: TN ${c.tn!.medianMs.toFixed(2)} ms, built-in ${c.builtin!.medianMs.toFixed(2)} ms`}</title>
              </rect>
              <text x={Math.max(mid, x(l)) + 3} y={y + ROW_H - 4} className="chart-value">
                {c.ratio!.toFixed(2)}
              </text>
            </g>
          );
        })}
        <text x={mid} y={height - 1} textAnchor="middle" className="chart-label">
          ← TN faster · TN / built-in time · built-in faster →
        </text>
      </svg>
    </figure>
  );
}

function formatTick(v: number): string {
  return v >= 10 || v < 0.1 ? v.toPrecision(1) : v.toFixed(v < 1 ? 2 : 1);
}
