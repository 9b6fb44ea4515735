import { cancelRun, runCurrent } from '../runActions.ts';
import { useRun } from '../runStore.ts';

/** The run button, and while a run goes on its progress and a cancel button. */
export function RunControls() {
  const active = useRun((s) => s.active);
  const progress = active?.progress;
  return (
    <div className="run-controls">
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="run"
          disabled={active !== undefined}
          onClick={() => runCurrent()}
        >
          {active ? 'Running…' : 'Run'}
        </button>
        {active && (
          <button
            type="button"
            data-testid="run-cancel"
            disabled={active.cancelling}
            onClick={cancelRun}
          >
            {active.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {active && (
        <div className="run-progress" data-testid="run-progress">
          <progress max={1} value={progress?.fraction ?? 0} />
          <span className="small muted" data-testid="run-stage">
            {progress ? `${progress.stage}: ${progress.message}` : 'starting the worker'}
          </span>
        </div>
      )}
    </div>
  );
}
