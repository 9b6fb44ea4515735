import { useState } from 'react';
import {
  CHART_X,
  CHART_Y,
  NOTEBOOK_LIMITS,
  type ChartCell,
  type NotebookDocument,
} from '../../../core/notebook/index.ts';
import { AXIS_LABEL } from '../model/chartModel.ts';
import { freshLabel, runCells, seriesProblem, type Series } from '../model/chartEdit.ts';
import { cellTitle } from '../model/diagramModel.ts';
import { edit } from '../store/notebookStore.ts';

const AXIS_SHORT: Record<ChartCell['x'] | ChartCell['y'], string> = {
  relativeCost: 'relative cost',
  relativeError: 'relative error',
  maxError: 'max error',
  flops: 'FLOPs',
  timeTnMs: 'time (ms)',
};

/** A one-line text field that commits on Enter or leaving it, and says why it cannot. */
function LineField({
  value,
  label,
  testId,
  onCommit,
}: {
  value: string;
  label: string;
  testId: string;
  /** Returns why the text is refused, or undefined when it was taken. */
  onCommit: (text: string) => string | undefined;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const commit = () => {
    if (draft === null || draft === value) {
      setDraft(null);
      setProblem(undefined);
      return;
    }
    const why = onCommit(draft);
    setProblem(why);
    if (!why) setDraft(null);
  };
  return (
    <label className="nb-field">
      <span>{label}</span>
      <input
        data-testid={testId}
        className={problem ? 'is-invalid' : ''}
        aria-invalid={problem ? true : undefined}
        value={draft ?? value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(null);
            setProblem(undefined);
          }
        }}
      />
      {problem && (
        <span className="nb-field-problem" data-testid="chart-problem" role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

/**
 * The settings of a chart cell in the user's notebook: title, what is on each axis, and
 * its series — a label and the run cells it plots. Every change is one edit of the
 * notebook (Undo takes it back); a change that would make the chart invalid is refused
 * with the reason beside it.
 */
export function ChartCellEditor({ cell, doc }: { cell: ChartCell; doc: NotebookDocument }) {
  const [problem, setProblem] = useState<string | undefined>();
  const runs = runCells(doc);
  const diagramTitle = (id: string) => {
    const d = doc.cells.find((c) => c.id === id);
    return d?.kind === 'diagram' ? cellTitle(d) : id;
  };
  const update = (patch: Partial<Omit<ChartCell, 'id' | 'kind'>>) =>
    edit({ type: 'update', id: cell.id, patch });
  // A label field shows its own reason beside it; other changes show theirs below.
  const setSeries = (series: Series[], shownByField = false): string | undefined => {
    const why = seriesProblem(series);
    setProblem(shownByField ? undefined : why);
    if (!why) update({ series });
    return why;
  };
  const order = new Map(runs.map((r, k) => [r.id, k]));
  const toggle = (k: number, run: string, on: boolean) => {
    const s = cell.series[k];
    const picked = on ? [...s.runs, run] : s.runs.filter((r) => r !== run);
    // Kept in the notebook's order, so the table reads as the cells do.
    picked.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    setSeries(cell.series.map((x, j) => (j === k ? { ...x, runs: picked } : x)));
  };

  return (
    <div className="nb-chart-editor" data-testid="chart-editor">
      <div className="nb-run-settings">
        <LineField
          label="title"
          testId="chart-title"
          value={cell.title ?? ''}
          onCommit={(text) => {
            const title = text.trim();
            if (title.length > NOTEBOOK_LIMITS.maxTitleLength)
              return `a title has at most ${NOTEBOOK_LIMITS.maxTitleLength} characters`;
            return update({ title: title || undefined }) ? undefined : 'not taken';
          }}
        />
        <label className="nb-field">
          <span>x</span>
          <select
            data-testid="chart-x"
            value={cell.x}
            title={AXIS_LABEL[cell.x]}
            onChange={(e) => update({ x: e.target.value as ChartCell['x'] })}
          >
            {CHART_X.map((k) => (
              <option key={k} value={k}>
                {AXIS_SHORT[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="nb-field">
          <span>y</span>
          <select
            data-testid="chart-y"
            value={cell.y}
            title={AXIS_LABEL[cell.y]}
            onChange={(e) => update({ y: e.target.value as ChartCell['y'] })}
          >
            {CHART_Y.map((k) => (
              <option key={k} value={k}>
                {AXIS_SHORT[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {cell.series.map((s, k) => (
        <fieldset key={k} className="nb-chart-series-edit" data-testid="chart-series">
          <legend className="row">
            <LineField
              label={`series ${k + 1}`}
              testId="chart-series-label"
              value={s.label}
              onCommit={(text) =>
                setSeries(
                  cell.series.map((x, j) => (j === k ? { ...x, label: text.trim() } : x)),
                  true,
                )
              }
            />
            <button
              type="button"
              className="link small"
              data-testid="chart-series-remove"
              disabled={cell.series.length === 1}
              title={
                cell.series.length === 1 ? 'A chart has at least one series' : 'Remove this series'
              }
              onClick={() => setSeries(cell.series.filter((_, j) => j !== k))}
            >
              remove
            </button>
          </legend>
          <div className="nb-chart-runs">
            {runs.map((r) => (
              <label key={r.id} className="nb-check" title={`run cell ${r.id}`}>
                <input
                  type="checkbox"
                  data-testid="chart-run"
                  data-run={r.id}
                  checked={s.runs.includes(r.id)}
                  onChange={(e) => toggle(k, r.id, e.target.checked)}
                />
                <span>
                  {r.id} <span className="muted small">({diagramTitle(r.diagram)})</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <div className="row">
        <button
          type="button"
          data-testid="chart-series-add"
          disabled={cell.series.length >= NOTEBOOK_LIMITS.maxChartSeries || runs.length === 0}
          onClick={() =>
            setSeries([...cell.series, { label: freshLabel(cell.series), runs: [runs[0].id] }])
          }
        >
          + series
        </button>
        {problem && (
          <span className="nb-field-problem" data-testid="chart-problem" role="alert">
            {problem}
          </span>
        )}
      </div>
    </div>
  );
}
