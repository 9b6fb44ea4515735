import { dismissFailure, runCurrent } from '../runActions.ts';
import { useRun } from '../runStore.ts';

const TITLES: Record<string, string> = {
  budget: 'Refused: over the memory budget',
  invalid: 'Cannot run this',
  'no-adapter': 'No WebGPU adapter',
  backend: 'Backend unavailable',
  'device-lost': 'GPU device lost',
  'out-of-memory': 'Out of memory',
  gpu: 'GPU error',
  'worker-crash': 'The evaluation worker crashed',
  cancelled: 'Cancelled',
  internal: 'The run failed',
};

/** What went wrong with the last run, and a backend to try instead; the work is untouched. */
export function RunFailureView() {
  const failure = useRun((s) => s.failure);
  if (!failure) return null;
  const cancelled = failure.kind === 'cancelled';
  return (
    <div
      className={cancelled ? 'run-note' : 'run-failure'}
      role={cancelled ? 'status' : 'alert'}
      data-testid="run-failure"
      data-kind={failure.kind}
      data-stage={failure.stage}
    >
      <strong>{TITLES[failure.kind] ?? 'The run failed'}</strong>
      {cancelled ? (
        <p className="small">{failure.message}</p>
      ) : (
        <p className="small" data-testid="error">
          {failure.message}
        </p>
      )}
      <div className="row">
        {failure.fallback && (
          <button
            type="button"
            data-testid="run-fallback"
            onClick={() => runCurrent(failure.fallback)}
          >
            Run on {failure.fallback} instead
          </button>
        )}
        <button type="button" onClick={dismissFailure}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
