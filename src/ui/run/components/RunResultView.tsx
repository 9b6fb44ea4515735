import { formatBytes, formatError, formatMs, formatRatio } from '../../common/formatNumbers.ts';
import { useRun, type RunRecord } from '../runStore.ts';
import type { Timing } from '../runMessages.ts';
import { RunStepsView } from './RunStepsView.tsx';

function TimingRow({
  name,
  title,
  timing,
  peak,
  testId,
}: {
  name: string;
  title?: string;
  timing?: Timing;
  peak?: number;
  testId?: string;
}) {
  if (!timing) return null;
  return (
    <tr>
      <th scope="row" title={title}>
        {name}
      </th>
      <td className="num">
        <span data-testid={testId}>{formatMs(timing.median)}</span>
      </td>
      <td className="num muted" data-testid={testId ? `${testId}-spread` : undefined}>
        {formatMs(timing.min)}–{formatMs(timing.max)}
      </td>
      <td className="num">{peak === undefined ? '—' : formatBytes(peak)}</td>
    </tr>
  );
}

function Check({ record }: { record: RunRecord }) {
  const r = record.result;
  if (r.maxError === undefined) {
    return <p className="small muted">{r.checkNote ?? 'not checked'}</p>;
  }
  const against =
    r.against === 'builtin'
      ? `the built-in ${r.builtinName}`
      : r.against === 'reduced'
        ? 'the float64 reference evaluator on a reduced copy (same structure, smaller sizes)'
        : 'the float64 reference evaluator';
  return (
    <p className="small">
      max |error| <strong data-testid="max-error">{formatError(r.maxError)}</strong> against{' '}
      {against}
      {r.maxAbs ? (
        <span className="muted"> (relative {formatError(r.maxError / r.maxAbs)})</span>
      ) : null}
    </p>
  );
}

/** The last run: where it ran, whether it is right, and how fast against the built-in. */
export function RunResultView() {
  const record = useRun((s) => s.history.at(-1));
  const running = useRun((s) => s.active !== undefined);
  if (!record) return null;
  const r = record.result;
  const ratio = r.timeBuiltin ? r.timeTn.median / r.timeBuiltin.median : undefined;
  const u = r.unsimplified;
  return (
    <div className={`run-result${running ? ' stale' : ''}`} data-testid="run-results">
      <p className="small">
        <span className="muted">{record.label}</span> on{' '}
        <strong data-testid="backend">{r.backend}</strong>
        {r.fallbackReason && (
          <span className="run-reason" data-testid="run-fallback-reason">
            {' '}
            (fell back: {r.fallbackReason})
          </span>
        )}
      </p>
      <Check record={record} />
      <table className="run-table">
        <thead>
          <tr>
            <th />
            <th title={`median of ${r.timeTn.runs.length} runs`}>median ms</th>
            <th>min–max</th>
            <th title="memory one run needs beyond its inputs and its result">peak</th>
          </tr>
        </thead>
        <tbody>
          <TimingRow
            name={u ? 'TN (simplified)' : 'TN'}
            timing={r.timeTn}
            peak={r.peakBytesTn}
            testId="time-tn"
          />
          {u && (
            <TimingRow
              name="TN (unsimplified)"
              timing={u.timeTn}
              peak={u.peakBytesTn}
              testId="time-tn-unsimplified"
            />
          )}
          <TimingRow
            name="built-in"
            title={r.builtinName}
            timing={r.timeBuiltin}
            peak={r.peakBytesBuiltin}
            testId="time-builtin"
          />
        </tbody>
      </table>
      {ratio !== undefined && (
        <p className="small">
          TN / built-in time <strong data-testid="run-ratio">{formatRatio(ratio)}</strong>{' '}
          <span className="muted">
            ({ratio < 1 ? 'the tensor network is faster' : 'the built-in is faster'})
          </span>
        </p>
      )}
      {u && (
        <p className="small" data-testid="run-simplified">
          simplified vs unsimplified: {formatMs(r.timeTn.median)} vs {formatMs(u.timeTn.median)} ms,{' '}
          {formatCount(r.plan.structuredFlops)} vs {formatCount(u.plan.structuredFlops)} FLOPs,
          results differ by {formatError(u.maxDiff)}
        </p>
      )}
      {r.checkNote && r.maxError !== undefined && <p className="small muted">{r.checkNote}</p>}
      <RunStepsView result={r} />
      <p className="small muted">
        result [{r.outputShape.join(', ')}], plan {r.plan.algorithm},{' '}
        {formatCount(r.plan.structuredFlops)} FLOPs, predicted peak{' '}
        {formatBytes(r.plan.predictedPeakBytes)}
      </p>
    </div>
  );
}

function formatCount(n: number): string {
  return n >= 1e6 ? n.toExponential(2) : String(n);
}
