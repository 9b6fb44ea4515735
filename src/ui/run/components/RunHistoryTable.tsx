import { formatError, formatMs, formatRatio } from '../../common/formatNumbers.ts';
import { clearHistory, useRun } from '../runStore.ts';

/** Every run of this session, newest first. */
export function RunHistoryTable() {
  const history = useRun((s) => s.history);
  if (history.length < 2) return null;
  return (
    <details className="run-history">
      <summary className="small">all runs ({history.length})</summary>
      <table className="run-table" data-testid="run-history">
        <thead>
          <tr>
            <th>network</th>
            <th>backend</th>
            <th>TN ms</th>
            <th>built-in ms</th>
            <th>ratio</th>
            <th>max err</th>
          </tr>
        </thead>
        <tbody>
          {[...history].reverse().map(({ id, label, result: r }) => (
            <tr key={id}>
              <td title={label}>{label}</td>
              <td>{r.backend}</td>
              <td className="num">{formatMs(r.timeTn.median)}</td>
              <td className="num">{r.timeBuiltin ? formatMs(r.timeBuiltin.median) : '—'}</td>
              <td className="num">
                {r.timeBuiltin ? formatRatio(r.timeTn.median / r.timeBuiltin.median) : '—'}
              </td>
              <td className="num">{r.maxError === undefined ? '—' : formatError(r.maxError)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={clearHistory}>
        Clear
      </button>
    </details>
  );
}
