import { useState } from 'react';
import type { ChartCell, NotebookDocument } from '../../../core/notebook/index.ts';
import { AXIS_LABEL, axisMax, chartModel, type ChartModel } from '../model/chartModel.ts';
import { ChartCellEditor } from './ChartCellEditor.tsx';

/** Chart geometry (SVG user units). */
const W = 420;
const H = 240;
const LEFT = 48;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 40;
const TICKS = 4;

const short = (v: number) =>
  v === 0
    ? '0'
    : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2
      ? v.toExponential(1)
      : String(+v.toPrecision(3));

/** What the points and their band mean, in the chart's own words. */
function spreadText(draws: ChartModel['draws']): string {
  if (draws.max <= 1)
    return 'Each point is a single draw: give the run cells several draws to plot their mean and spread.';
  const n = draws.min === draws.max ? `${draws.max}` : `${draws.min}–${draws.max}`;
  return `Each point is the mean of ${n} seeded draws (inputs and dropout masks drawn again); the band spans the smallest to the largest draw, the bars ± one standard deviation.`;
}

/**
 * A line chart of values the listed run cells measured, with the numbers as a table
 * under it (the chart is drawn from the cells' last results; running them updates it).
 * A run of several seeded draws is plotted as its mean with the spread of the draws. In
 * the user's notebook the chart's settings can be edited.
 */
export function ChartCellView({
  cell,
  doc,
  readOnly = true,
}: {
  cell: ChartCell;
  doc: NotebookDocument;
  readOnly?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const model = chartModel(cell, doc);
  const all = model.series.flatMap((s) => s.points);
  const xMax = axisMax(all.map((p) => p.x));
  const yMax = axisMax(all.map((p) => p.spread?.max ?? p.y));
  const px = (x: number) => LEFT + (x / xMax) * (W - LEFT - RIGHT);
  const py = (y: number) => H - BOTTOM - (y / yMax) * (H - TOP - BOTTOM);
  const ticks = Array.from({ length: TICKS + 1 }, (_, j) => j / TICKS);
  return (
    <figure className="nb-chart" data-testid="chart">
      {cell.title && <figcaption className="nb-chart-title">{cell.title}</figcaption>}
      {!readOnly && (
        <button
          type="button"
          className="link small"
          data-testid="chart-edit"
          aria-expanded={editing}
          onClick={() => setEditing(!editing)}
        >
          {editing ? 'Done editing the chart' : 'Edit the chart'}
        </button>
      )}
      {!readOnly && editing && <ChartCellEditor cell={cell} doc={doc} />}
      {all.length > 0 && (
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={cell.title ?? 'chart'}>
          {ticks.map((t) => (
            <g key={t} className="nb-chart-grid">
              <line x1={LEFT} x2={W - RIGHT} y1={py(t * yMax)} y2={py(t * yMax)} />
              <text x={LEFT - 4} y={py(t * yMax) + 3} textAnchor="end">
                {short(t * yMax)}
              </text>
              <text x={px(t * xMax)} y={H - BOTTOM + 14} textAnchor="middle">
                {short(t * xMax)}
              </text>
            </g>
          ))}
          <text className="nb-chart-axis" x={(LEFT + W - RIGHT) / 2} y={H - 6} textAnchor="middle">
            {AXIS_LABEL[cell.x]}
          </text>
          {model.series.map((s, k) => {
            const points = [...s.points].sort((a, b) => a.x - b.x);
            const spread = points.some((p) => p.spread);
            const band = [
              ...points.map((p) => `${px(p.x)},${py(p.spread?.max ?? p.y)}`),
              ...[...points].reverse().map((p) => `${px(p.x)},${py(p.spread?.min ?? p.y)}`),
            ].join(' ');
            return (
              <g key={s.label} className={`nb-chart-series nb-chart-series-${k % 8}`}>
                {spread && (
                  <polygon className="nb-chart-band" data-testid="chart-band" points={band} />
                )}
                {points.map(
                  (p) =>
                    p.spread && (
                      <line
                        key={`sd-${p.run}`}
                        className="nb-chart-bar"
                        data-testid="chart-bar"
                        x1={px(p.x)}
                        x2={px(p.x)}
                        y1={py(Math.max(0, p.y - p.spread.sd))}
                        y2={py(p.y + p.spread.sd)}
                      />
                    ),
                )}
                <polyline
                  fill="none"
                  points={points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}
                />
                {points.map((p) => (
                  <circle key={p.run} cx={px(p.x)} cy={py(p.y)} r={3}>
                    <title>
                      {`${s.label}: ${short(p.x)}, ${short(p.y)} (${p.run})` +
                        (p.spread
                          ? ` · mean of ${p.spread.draws} draws, ± ${short(p.spread.sd)}, ${short(p.spread.min)}–${short(p.spread.max)}`
                          : '')}
                    </title>
                  </circle>
                ))}
              </g>
            );
          })}
        </svg>
      )}
      <p className="muted small">
        y: {AXIS_LABEL[cell.y]} ·{' '}
        {model.series.map((s, k) => (
          <span key={s.label} className={`nb-chart-key nb-chart-series-${k % 8}`}>
            ● {s.label}{' '}
          </span>
        ))}
      </p>
      {all.length > 0 && (
        <p className="muted small" data-testid="chart-spread">
          {spreadText(model.draws)}
        </p>
      )}
      <table className="nb-results" data-testid="chart-table">
        <thead>
          <tr>
            <th>series</th>
            <th>run cell</th>
            <th>x</th>
            <th>y</th>
            <th>± sd</th>
            <th>min–max</th>
            <th>draws</th>
          </tr>
        </thead>
        <tbody>
          {model.series.flatMap((s) =>
            s.points.map((p) => (
              <tr key={`${s.label}/${p.run}`} data-testid="chart-point">
                <td>{s.label}</td>
                <td>{p.run}</td>
                <td>{p.x.toPrecision(3)}</td>
                <td>{p.y.toPrecision(3)}</td>
                <td>{p.spread ? p.spread.sd.toPrecision(2) : '—'}</td>
                <td>
                  {p.spread ? `${p.spread.min.toPrecision(3)}–${p.spread.max.toPrecision(3)}` : '—'}
                </td>
                <td>{p.spread?.draws ?? 1}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {model.missing.length > 0 && (
        <p className="muted small" data-testid="chart-missing">
          {all.length === 0 ? 'Nothing to plot yet: run' : 'Not plotted yet: run'} the cell
          {model.missing.length === 1 ? '' : 's'} {model.missing.join(', ')}.
        </p>
      )}
    </figure>
  );
}
