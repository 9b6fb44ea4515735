import { useMemo } from 'react';
import { errorMessage } from '../../../core/errors.ts';
import {
  CONFIRM_ABOVE_SECONDS,
  estimateJob,
  formatDuration,
  networkWarning,
  plannedFlops,
  type JobShape,
  type RunEstimate,
} from '../estimate.ts';
import { confirmRun, declineRun } from '../runActions.ts';
import { useRun } from '../runStore.ts';
import type { RunTarget } from '../runTarget.ts';

function rateText(e: RunEstimate): string {
  const gflops = `${(e.rate / 1e9).toPrecision(2)} GFLOP/s`;
  return e.basis === 'measured'
    ? `${gflops} measured on this device`
    : `${gflops} assumed: no earlier run on this device`;
}

export function estimateText(e: RunEstimate): string {
  return `about ${formatDuration(e.seconds)} (${e.flops.toExponential(1)} FLOPs at ${rateText(e)})`;
}

/**
 * Before a run: what it will take, or why it cannot run, updated as the network is edited;
 * and the question when a run is estimated to take long.
 */
export function RunEstimateView({ target }: { target: RunTarget }) {
  const settings = useRun((s) => s.settings);
  const confirm = useRun((s) => s.confirm);
  const active = useRun((s) => s.active !== undefined);
  // Planning is the costly part; the remembered rate is read on every render, so a run
  // that just ended updates the estimate.
  const view = useMemo((): { warning: string } | { job: JobShape } => {
    const warning = networkWarning(target.network, Math.max(1, settings.budgetMiB) * 2 ** 20);
    if (warning) return { warning };
    try {
      return {
        job: {
          flops: plannedFlops(target.network),
          unsimplifiedFlops: target.unsimplified ? plannedFlops(target.unsimplified) : undefined,
          builtin: settings.compareBuiltin && target.op !== undefined && target.layer !== undefined,
          repeats: settings.repeats,
          warmup: settings.warmup,
        },
      };
    } catch (err) {
      return { warning: errorMessage(err) };
    }
  }, [target, settings]);
  const estimate = 'job' in view ? estimateJob(view.job, settings.backend) : undefined;

  if (confirm) {
    return (
      <div
        className="run-confirm"
        role="alertdialog"
        aria-label="Long run"
        data-testid="run-confirm"
      >
        <p>
          This run is estimated to take{' '}
          <strong data-testid="run-confirm-estimate">
            {formatDuration(confirm.estimate.seconds)}
          </strong>{' '}
          ({confirm.estimate.flops.toExponential(1)} FLOPs at {rateText(confirm.estimate)}), more
          than {CONFIRM_ABOVE_SECONDS} s. Fewer repeats, a smaller batch or input, or simplifying
          first make it shorter.
        </p>
        <div className="row">
          <button
            type="button"
            className="primary"
            data-testid="run-confirm-yes"
            onClick={confirmRun}
          >
            Run anyway
          </button>
          <button type="button" data-testid="run-confirm-no" onClick={declineRun}>
            Don&apos;t run
          </button>
        </div>
      </div>
    );
  }
  if ('warning' in view) {
    return (
      <p className="run-warning small" role="status" data-testid="run-warning">
        This network cannot run: {view.warning}
      </p>
    );
  }
  if (!estimate || active) return null;
  return (
    <p className="small muted" data-testid="run-estimate">
      Estimated {estimateText(estimate)}
      {estimate.seconds > CONFIRM_ABOVE_SECONDS ? '; Run will ask first.' : '.'}
    </p>
  );
}
