import { useState } from 'react';
import {
  BACKENDS,
  INPUT_KINDS,
  NOTEBOOK_LIMITS,
  type NotebookDocument,
  type RunCell,
} from '../../../core/notebook/index.ts';
import { formatRatio } from '../../common/formatNumbers.ts';
import { cellTitle } from '../model/diagramModel.ts';
import { setRunSettings, type Scope } from '../store/notebookStore.ts';
import { cancelRun, runCell, runKey, useRuns } from '../store/runs.ts';
import { formatBytes } from '../../../core/formatBytes.ts';

function ms(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

function bytes(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : formatBytes(n);
}

/** A whole-number setting that commits when it is valid and leaves the field otherwise. */
function IntField({
  label,
  value,
  min,
  max,
  testId,
  onCommit,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  testId: string;
  onCommit: (n: number) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const n = Number(draft);
    if (Number.isInteger(n) && n >= min && n <= max && n !== value) onCommit(n);
    setDraft(null);
  };
  const bad =
    draft !== null && !(Number.isInteger(Number(draft)) && +draft >= min && +draft <= max);
  return (
    <label className="nb-field" title={`${label}: a whole number from ${min} to ${max}`}>
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={1}
        data-testid={testId}
        className={bad ? 'is-invalid' : ''}
        value={draft ?? String(value)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

/**
 * A run cell: evaluates its diagram on the GPU with the run service (src/ui/run) and shows
 * the last results — backend, max error against the built-in or the float64 reference,
 * median times — with the settings of the run. In a tutorial the settings can be changed
 * for the visit.
 */
export function RunCellView({
  cell,
  doc,
  scope,
  readOnly,
}: {
  cell: RunCell;
  doc: NotebookDocument;
  scope: Scope;
  readOnly: boolean;
}) {
  const run = useRuns((s) => s.runs[runKey(scope, cell.id)]);
  const running = run?.status === 'running';
  const diagrams = doc.cells.filter((c) => c.kind === 'diagram');
  const target = diagrams.find((c) => c.id === cell.diagram);
  const set = (patch: Parameters<typeof setRunSettings>[2]) =>
    setRunSettings(scope, cell.id, patch);
  const r = cell.lastResult;
  const estimated = diagrams.find((c) => c.id === cell.estimates);
  const estimatedTitle = estimated ? cellTitle(estimated) : 'the estimated network';
  const detail = run?.status === 'done' ? run.results : undefined;
  const single = detail?.length === 1 ? detail[0] : undefined;

  return (
    <div className="nb-run">
      <div className="nb-run-head">
        <strong>Run</strong>
        {readOnly ? (
          <span className="muted">{target ? cellTitle(target) : cell.diagram}</span>
        ) : (
          <select
            data-testid="run-diagram"
            value={cell.diagram}
            onChange={(e) => set({ diagram: e.target.value })}
            aria-label="Diagram to run"
          >
            {diagrams.map((d) => (
              <option key={d.id} value={d.id}>
                {cellTitle(d)}
              </option>
            ))}
          </select>
        )}
      </div>
      <div className="nb-run-settings">
        <label className="nb-field">
          <span>backend</span>
          <select
            data-testid="run-backend-choice"
            value={cell.backend}
            onChange={(e) => set({ backend: e.target.value as RunCell['backend'] })}
          >
            {BACKENDS.map((b) => (
              <option key={b} value={b}>
                {b === 'auto' ? 'auto (WebGPU first)' : b}
              </option>
            ))}
          </select>
        </label>
        <IntField
          label="repeats"
          testId="run-repeats"
          value={cell.repeats}
          min={1}
          max={NOTEBOOK_LIMITS.maxRepeats}
          onCommit={(repeats) => set({ repeats })}
        />
        <IntField
          label="warm-up"
          testId="run-warmup"
          value={cell.warmup}
          min={0}
          max={NOTEBOOK_LIMITS.maxWarmup}
          onCommit={(warmup) => set({ warmup })}
        />
        <IntField
          label="seed"
          testId="run-seed"
          value={cell.seed}
          min={0}
          max={2 ** 31 - 1}
          onCommit={(seed) => set({ seed })}
        />
        <IntField
          label="draws"
          testId="run-draws"
          value={cell.draws}
          min={1}
          max={NOTEBOOK_LIMITS.maxDraws}
          onCommit={(draws) => set({ draws })}
        />
        <label className="nb-field">
          <span>inputs</span>
          <select
            data-testid="run-inputs"
            value={cell.inputs}
            onChange={(e) => set({ inputs: e.target.value as RunCell['inputs'] })}
          >
            {INPUT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'uniform' ? 'uniform (independent)' : 'smooth (image-like)'}
              </option>
            ))}
          </select>
        </label>
        <label className="nb-field">
          <span>estimates</span>
          <select
            data-testid="run-estimates"
            value={cell.estimates ?? ''}
            onChange={(e) => set({ estimates: e.target.value || undefined })}
          >
            <option value="">nothing</option>
            {diagrams
              .filter((d) => d.id !== cell.diagram)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {cellTitle(d)}
                </option>
              ))}
          </select>
        </label>
        <label className="nb-field nb-check">
          <input
            type="checkbox"
            data-testid="run-compare"
            checked={cell.compareBuiltin}
            onChange={(e) => set({ compareBuiltin: e.target.checked })}
          />
          <span>compare with the built-in</span>
        </label>
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="run"
          disabled={running || !target}
          onClick={() => void runCell(scope, cell.id)}
        >
          {running ? 'Running…' : r ? 'Run again' : 'Run'}
        </button>
        {running && (
          <>
            <button
              type="button"
              data-testid="run-cancel"
              onClick={() => cancelRun(scope, cell.id)}
            >
              Cancel
            </button>
            <progress max={1} value={run.fraction} data-testid="run-progress" />
            <span className="muted small">{run.message}</span>
          </>
        )}
      </div>
      {run?.status === 'failed' && run.failure && (
        <div className={run.failure.cancelled ? 'nb-info' : 'nb-error'} role="alert">
          <span data-testid={run.failure.cancelled ? 'run-cancelled' : 'error'}>
            {run.failure.cancelled ? 'Cancelled: ' : 'The run failed: '}
            {run.failure.message}
          </span>
          {run.failure.fallback && (
            <button
              type="button"
              data-testid="run-fallback"
              onClick={() => void runCell(scope, cell.id, run.failure!.fallback)}
            >
              Run on {run.failure.fallback} instead
            </button>
          )}
        </div>
      )}
      {run?.note && <p className="muted small">{run.note}</p>}
      {r && (
        <table className="nb-results" data-testid="run-result">
          <tbody>
            <tr>
              <th>backend</th>
              <td>
                <span data-testid="run-backend">{r.backend}</span>
                {single?.fallbackReason && (
                  <span className="muted small"> ({single.fallbackReason})</span>
                )}
              </td>
            </tr>
            <tr>
              <th>max error</th>
              <td>
                <span data-testid="max-error">
                  {r.maxError === null ? '—' : r.maxError.toExponential(2)}
                </span>
                {single && (
                  <span className="muted small">
                    {' '}
                    {single.against === 'builtin'
                      ? `against ${single.builtinName ?? 'the built-in'}`
                      : single.against === 'reference'
                        ? 'against the float64 reference'
                        : single.against === 'reduced'
                          ? 'against the float64 reference on a reduced copy'
                          : (single.checkNote ?? 'no check')}
                  </span>
                )}
              </td>
            </tr>
            {r.relativeError != null && (
              <tr>
                <th>relative error</th>
                <td>
                  <span data-testid="relative-error">{r.relativeError.toPrecision(3)}</span>
                  {r.spread?.relativeError && (
                    <span data-testid="relative-error-spread">
                      {' '}
                      ± {r.spread.relativeError.sd.toPrecision(2)} (mean of {r.spread.draws} draws,{' '}
                      {r.spread.relativeError.min.toPrecision(3)}–
                      {r.spread.relativeError.max.toPrecision(3)})
                    </span>
                  )}
                  <span className="muted small">
                    {' '}
                    ‖result − {estimatedTitle}‖ / ‖{estimatedTitle}‖ (float64 reference)
                    {r.relativeCost != null && (
                      <>
                        {' '}
                        · cost{' '}
                        <span data-testid="relative-cost">{r.relativeCost.toPrecision(3)}</span> of
                        its FLOPs
                      </>
                    )}
                  </span>
                </td>
              </tr>
            )}
            <tr>
              <th>time, tensor network</th>
              <td>
                <span data-testid="time-tn">{ms(r.timeTnMs)}</span> ms (median
                {r.spread ? `; mean of ${r.spread.draws} draws` : ''})
                {single?.unsimplified && (
                  <span className="muted small">
                    {' '}
                    · unsimplified {ms(single.unsimplified.timeTn.median)} ms
                  </span>
                )}
              </td>
            </tr>
            <tr>
              <th>time, built-in</th>
              <td>
                <span data-testid="time-builtin">{ms(r.timeBuiltinMs)}</span>
                {r.timeBuiltinMs !== null && ' ms (median)'}
                {r.timeBuiltinMs !== null && r.timeTnMs !== null && r.timeBuiltinMs > 0 && (
                  <span className="muted small">
                    {' '}
                    · TN / built-in ={' '}
                    <span data-testid="run-ratio">
                      {formatRatio(r.timeTnMs / r.timeBuiltinMs)}
                    </span>{' '}
                    (
                    {r.timeTnMs < r.timeBuiltinMs
                      ? 'the tensor network is faster'
                      : 'the built-in is faster'}
                    )
                  </span>
                )}
              </td>
            </tr>
            <tr>
              <th>result</th>
              <td>
                shape [{r.shape.join(', ')}] ·{' '}
                {r.flops != null ? `${r.flops.toExponential(2)} dense FLOPs` : ''}
                {r.peakBytes != null ? ` · peak ${bytes(r.peakBytes)}` : ''}
              </td>
            </tr>
            <tr>
              <th>ran</th>
              <td className="muted small">{new Date(r.at).toLocaleString()}</td>
            </tr>
          </tbody>
        </table>
      )}
      {!r && !running && run?.status !== 'failed' && (
        <p className="muted small">Not run yet on this device.</p>
      )}
    </div>
  );
}
