import { formatMs } from '../formatNumbers.ts';
import type { RunResult } from '../runMessages.ts';

/** What ran each step of the contraction path, and how long it took in a profiled run. */
const KIND_TITLES: Record<string, string> = {
  tiled: 'generated WebGPU kernel: tiled implicit matrix product, Π read as index arithmetic',
  direct: 'generated WebGPU kernel: one invocation per block of result entries',
  phased:
    'split by phase: a strided result computed one phase (every S-th position) per dispatch, no divisibility test',
  lazy: 'no work: a pattern joins the tensor it indexes, read by a later kernel',
  gather: 'tfjs gather (Π materialised)',
  matmul: 'tfjs matMul',
  transpose: 'tfjs transpose',
  sum: 'tfjs sum',
  mul: 'tfjs elementwise product',
};

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
