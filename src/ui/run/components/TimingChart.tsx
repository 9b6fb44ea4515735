import { formatMs } from '../../common/formatNumbers.ts';
import { useRun, type RunRecord } from '../runStore.ts';

/** Chart geometry (SVG user units). */
const WIDTH = 296;
const LABEL_W = 96;
const BAR_H = 9;
const GAP = 3;
const GROUP_GAP = 10;
const MAX_GROUPS = 6;

interface Bar {
  name: string;
  cls: string;
  median: number;
  min: number;
  max: number;
}

function barsOf(record: RunRecord): Bar[] {
  const r = record.result;
  const bars: Bar[] = [{ name: 'TN', cls: 'bar-tn', ...r.timeTn }];
  if (r.unsimplified)
    bars.push({ name: 'TN unsimplified', cls: 'bar-uns', ...r.unsimplified.timeTn });
  if (r.timeBuiltin) bars.push({ name: 'built-in', cls: 'bar-builtin', ...r.timeBuiltin });
  return bars;
}

/**
 * Median times of the latest run of each operation (or network), TN against the built-in
 * and the unsimplified network, with whiskers from the fastest to the slowest run.
 */
export function TimingChart() {
  const history = useRun((s) => s.history);
  if (history.length === 0) return null;
  const latest = new Map<string, RunRecord>();
  for (const rec of history) {
    const key = `${rec.label} · ${rec.result.backend}`;
    latest.delete(key);
    latest.set(key, rec);
  }
  const groups = [...latest.entries()].slice(-MAX_GROUPS);
  const scale = Math.max(...groups.flatMap(([, rec]) => barsOf(rec).map((b) => b.max)), 1e-9);
  const plotW = WIDTH - LABEL_W - 34;
  let y = 4;
  const rows = groups.map(([key, rec]) => {
    const bars = barsOf(rec);
    const top = y;
    y += bars.length * (BAR_H + GAP) + GROUP_GAP;
    return { key, rec, bars, top };
  });
  const height = y;
  const x = (ms: number) => LABEL_W + (ms / scale) * plotW;
  return (
    <figure className="run-chart" data-testid="run-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label="median run times in milliseconds"
      >
        {rows.map(({ key, rec, bars, top }) => (
          <g key={key}>
            <text x={0} y={top + BAR_H} className="chart-label">
              <title>{key}</title>
              {shortLabel(rec.label)}
            </text>
            {bars.map((b, j) => {
              const by = top + j * (BAR_H + GAP);
              return (
                <g key={b.name}>
                  <rect
                    x={LABEL_W}
                    y={by}
                    width={Math.max(1, x(b.median) - LABEL_W)}
                    height={BAR_H}
                    className={b.cls}
                  >
                    <title>{`${b.name}: median ${formatMs(b.median)} ms (${formatMs(b.min)}–${formatMs(b.max)})`}</title>
                  </rect>
                  <line
                    x1={x(b.min)}
                    x2={x(b.max)}
                    y1={by + BAR_H / 2}
                    y2={by + BAR_H / 2}
                    className="chart-whisker"
                  />
                  <text x={x(b.max) + 3} y={by + BAR_H - 1} className="chart-value">
                    {formatMs(b.median)}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      <figcaption className="small muted">
        <span className="swatch bar-tn" /> TN <span className="swatch bar-uns" /> unsimplified{' '}
        <span className="swatch bar-builtin" /> built-in (median ms; whiskers min–max)
      </figcaption>
    </figure>
  );
}

function shortLabel(label: string): string {
  return label.length > 18 ? `${label.slice(0, 17)}…` : label;
}
