import { useEffect, useState } from 'react';
import { formatDuration, remainingSeconds } from '../estimate.ts';
import { cancelRun, runCurrent } from '../runActions.ts';
import { useRun, type ActiveRun } from '../runStore.ts';

/** Time left of the active run, ticking once a second between progress reports. */
function Remaining({ active }: { active: ActiveRun }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = remainingSeconds(
    now - active.startedAt,
    active.progress?.fraction ?? 0,
    active.estimateSeconds,
  );
  if (left === undefined) return null;
  return (
    <span className="small muted" data-testid="run-remaining">
      about {formatDuration(left)} left
    </span>
  );
}

/** The run button, and while a run goes on its progress and a cancel button. */
export function RunControls() {
  const active = useRun((s) => s.active);
  const confirming = useRun((s) => s.confirm !== undefined);
  const progress = active?.progress;
  return (
    <div className="run-controls">
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="run"
          disabled={active !== undefined || confirming}
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
          <Remaining active={active} />
        </div>
      )}
    </div>
  );
}
