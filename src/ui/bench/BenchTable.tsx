import { formatBytes, formatError, formatMs, formatRatio } from '../common/formatNumbers.ts';
import type { CaseResult } from '../run/runMessages.ts';

/** One row per case, as the harness's text table has them. */
export function BenchTable({ cases }: { cases: CaseResult[] }) {
  if (cases.length === 0) return null;
  return (
    <table className="bench-table" data-testid="bench-table">
      <thead>
        <tr>
          <th>layer</th>
          <th>op</th>
          <th>TN ms</th>
          <th>built-in ms</th>
          <th>TN / built-in</th>
          <th title="peak memory beyond inputs and result">TN extra</th>
          <th title="peak memory beyond inputs and result">built-in extra</th>
          <th>max abs err</th>
          <th>built-in</th>
          <th>note</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={`${c.layer}-${c.op}`} data-testid={`bench-row-${c.layer}-${c.op}`}>
            <td>{c.layer}</td>
            <td>{c.op}</td>
            <td className="num">{c.tn ? formatMs(c.tn.medianMs) : '—'}</td>
            <td className="num">{c.builtin ? formatMs(c.builtin.medianMs) : '—'}</td>
            <td className="num" data-testid="bench-ratio">
              {c.ratio === undefined ? '—' : formatRatio(c.ratio)}
            </td>
            <td className="num">{c.tn ? formatBytes(c.tn.extraBytes) : '—'}</td>
            <td className="num">{c.builtin ? formatBytes(c.builtin.extraBytes) : '—'}</td>
            <td className="num">
              {c.maxAbsError === undefined ? '—' : formatError(c.maxAbsError)}
            </td>
            <td>{c.builtin?.name ?? '—'}</td>
            <td className="small">{c.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
