import { formatMs } from '../../common/formatNumbers.ts';
import type { RunResult } from '../runMessages.ts';
import { KIND_TITLES } from '../../common/stepKinds.ts';

/** What ran each step of the contraction path, and how long it took in a profiled run. */
export function RunStepsView({ result }: { result: RunResult }) {
  const steps = result.steps;
  if (!steps?.length) return null;
  const total = steps.reduce((a, s) => a + s.ms, 0);
  return (
    <details className="run-steps">
      <summary>
        steps on {result.backend} ({steps.length})
      </summary>
      {result.kernelFallback && (
        <p className="small run-reason" data-testid="run-kernel-fallback">
          generated kernels not used: {result.kernelFallback}
        </p>
      )}
      <table className="run-table" data-testid="run-steps">
        <thead>
          <tr>
            <th>#</th>
            <th>result</th>
            <th title="what ran the step">ran as</th>
            <th title="one profiled run, each step awaited: compare steps with each other">ms</th>
            <th>share</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.step} data-testid="run-step">
              <td>{s.step + 1}</td>
              <td>[{s.result.join(' ')}]</td>
              <td
                data-testid="run-step-kinds"
                title={s.kinds.map((k) => KIND_TITLES[k] ?? k).join('; ')}
              >
                {s.kinds.join(' + ')}
              </td>
              <td className="num" data-testid="run-step-ms">
                {formatMs(s.ms)}
              </td>
              <td className="num">{total > 0 ? `${Math.round((100 * s.ms) / total)} %` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
