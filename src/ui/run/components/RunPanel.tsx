import { useMemo } from 'react';
import { OpenBenchButton } from '../../navigation/BenchButtons.tsx';
import { useEditor } from '../../editor/store/editorStore.ts';
import { runTarget } from '../runTarget.ts';
import { InputsPicker } from './InputsPicker.tsx';
import { RunControls } from './RunControls.tsx';
import { RunEstimateView } from './RunEstimateView.tsx';
import { RunFailureView } from './RunFailureView.tsx';
import { RunHistoryTable } from './RunHistoryTable.tsx';
import { RunResultView } from './RunResultView.tsx';
import { RunSettingsForm } from './RunSettingsForm.tsx';
import { TimingChart } from './TimingChart.tsx';
import '../run.css';

/** Evaluate the current network in the worker and compare it with the built-in. */
export function RunPanel() {
  const doc = useEditor((s) => s.doc);
  const derived = useEditor((s) => s.derived);
  const target = useMemo(() => runTarget(doc, derived), [doc, derived]);
  return (
    <section className="panel run-panel" aria-label="Run">
      <h2>Run</h2>
      <details className="run-options" open>
        <summary className="small">settings and inputs</summary>
        <RunSettingsForm />
        <InputsPicker shapes={target.shapes} />
      </details>
      <RunEstimateView target={target} />
      <RunControls />
      <RunFailureView />
      <RunResultView />
      <TimingChart />
      <RunHistoryTable />
      <OpenBenchButton />
    </section>
  );
}
