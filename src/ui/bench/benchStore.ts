import { create } from 'zustand';
import { errorMessage } from '../../core/errors.ts';
import type { BackendName } from '../../engine/backend.ts';
import { BENCH_OPS, type BenchOp } from '../../engine/bench/ops.ts';
import { LAYERS_FILE } from '../run/benchLayers.ts';
import { RunError, startBench, type RunHandle } from '../run/runService.ts';
import type { BenchReport, CaseResult, RunFailure, RunProgress } from '../run/runMessages.ts';

/**
 * The benchmark view's state: which layers and ops of test/fixtures/layers.json to run,
 * the run in progress with the cases finished so far, and the last report.
 */
export interface BenchSettings {
  layers: string[];
  ops: BenchOp[];
  batch: number;
  runs: number;
  backend: BackendName;
}

export interface BenchState {
  settings: BenchSettings;
  running?: { id: number; progress?: RunProgress; cancelling?: boolean };
  /** Cases of the run in progress, or of the last one. */
  cases: CaseResult[];
  report?: BenchReport;
  failure?: RunFailure;
}

export const ALL_LAYERS = LAYERS_FILE.layers.map((l) => l.name);

export const useBench = create<BenchState>()(() => ({
  settings: {
    layers: [...ALL_LAYERS],
    ops: [...BENCH_OPS],
    batch: LAYERS_FILE.batch,
    runs: 5,
    backend: 'webgpu',
  },
  cases: [],
}));

export function updateBenchSettings(patch: Partial<BenchSettings>): void {
  useBench.setState((s) => ({ settings: { ...s.settings, ...patch } }));
}

export function toggleIn<T>(list: readonly T[], item: T, order: readonly T[]): T[] {
  const next = list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
  return order.filter((x) => next.includes(x));
}

let handle: RunHandle<BenchReport> | undefined;

export function runSuite(): void {
  const { settings, running } = useBench.getState();
  if (running) return;
  const run = startBench(
    {
      layers: settings.layers,
      ops: settings.ops,
      batch: settings.batch,
      runs: settings.runs,
      backend: settings.backend,
    },
    (progress) =>
      useBench.setState((s) =>
        s.running?.id === run.id
          ? { running: { ...s.running, progress }, cases: progress.cases ?? s.cases }
          : {},
      ),
  );
  handle = run;
  useBench.setState({ running: { id: run.id }, cases: [], report: undefined, failure: undefined });
  run.result.then(
    (report) => {
      handle = undefined;
      useBench.setState({ running: undefined, report, cases: report.cases });
    },
    (err: unknown) => {
      handle = undefined;
      const failure: RunFailure =
        err instanceof RunError
          ? { kind: err.kind, message: err.message, fallback: err.fallback, stage: err.stage }
          : { kind: 'internal', message: errorMessage(err) };
      useBench.setState({ running: undefined, failure });
    },
  );
}

export function cancelSuite(): void {
  if (!handle) return;
  useBench.setState((s) => (s.running ? { running: { ...s.running, cancelling: true } } : {}));
  handle.cancel();
}
