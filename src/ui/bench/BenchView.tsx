import { summarize, type BenchReport } from '../../engine/bench/report.ts';
import { formatRatio } from '../common/formatNumbers.ts';
import { showView } from '../navigation/viewStore.ts';
import { BenchSettingsForm } from './BenchSettingsForm.tsx';
import { BenchTable } from './BenchTable.tsx';
import { cancelSuite, runSuite, useBench } from './benchStore.ts';
import { download, reportToCsv, reportToJson } from './exportReport.ts';
import { RatioChart } from './RatioChart.tsx';
import './bench.css';

function Controls() {
  const running = useBench((s) => s.running);
  const empty = useBench((s) => s.settings.layers.length === 0 || s.settings.ops.length === 0);
  const progress = running?.progress;
  return (
    <div className="bench-controls">
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="bench-run"
          disabled={running !== undefined || empty}
          onClick={runSuite}
        >
          {running ? 'Running…' : 'Run the suite'}
        </button>
        {running && (
          <button
            type="button"
            data-testid="bench-cancel"
            disabled={running.cancelling}
            onClick={cancelSuite}
          >
            {running.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {running && (
        <div className="bench-progress">
          <progress data-testid="bench-progress" max={1} value={progress?.fraction ?? 0} />
          <span className="small muted">{progress?.message ?? 'starting the worker'}</span>
        </div>
      )}
    </div>
  );
}

function Summary({ report }: { report: BenchReport }) {
  const perOp = summarize(report);
  return (
    <div className="bench-summary">
      <p className="small" data-testid="bench-backend">
        {report.backend}
        {report.fallbacks.length > 0 && (
          <span className="muted"> (fell back: {report.fallbacks.join('; ')})</span>
        )}
        , batch {report.batch}, median of {report.runs} runs, {(report.totalMs / 1000).toFixed(0)} s
      </p>
      <ul className="small">
        {Object.entries(perOp).map(([op, s]) => (
          <li key={op}>
            {op}: median ratio {s.median === undefined ? '—' : formatRatio(s.median)} over {s.count}{' '}
            layer(s)
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          data-testid="bench-download-json"
          onClick={() => download('einsketch-bench.json', reportToJson(report), 'application/json')}
        >
          Download JSON
        </button>
        <button
          type="button"
          data-testid="bench-download-csv"
          onClick={() => download('einsketch-bench.csv', reportToCsv(report), 'text/csv')}
        >
          Download CSV
        </button>
      </div>
    </div>
  );
}

/**
 * The layer suite of test/fixtures/layers.json in the browser: the tensor network against
 * tfjs's built-in for each layer and op, through the same harness as `npm run bench`.
 */
export function BenchView() {
  const cases = useBench((s) => s.cases);
  const report = useBench((s) => s.report);
  const failure = useBench((s) => s.failure);
  return (
    <div className="bench-view" data-testid="bench-view">
      <div className="row">
        <h2>Benchmark: tensor network vs tfjs built-in</h2>
        <button type="button" onClick={() => showView('main')}>
          Back
        </button>
      </div>
      <p className="small muted">
        Each case: one warm-up run, then the median of the timed runs, each waited for; peak memory
        from tf.profile. SwiftShader (WebGPU without a GPU) is slow: start with batch 1 and a few
        layers. tfjs conv3d on WebGPU is a naive shader, and tfjs has no grouped convolution except
        depthwise (the built-in splits groups).
      </p>
      <BenchSettingsForm />
      <Controls />
      {failure && (
        <div className={failure.kind === 'cancelled' ? 'run-note' : 'run-failure'} role="alert">
          {failure.kind === 'cancelled' ? (
            <p className="small">{failure.message}</p>
          ) : (
            <p className="small" data-testid="error">
              {failure.message}
            </p>
          )}
        </div>
      )}
      {report && <Summary report={report} />}
      <RatioChart cases={cases} />
      <BenchTable cases={cases} />
    </div>
  );
}
