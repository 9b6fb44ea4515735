import { showView, useView } from './viewStore.ts';

// The controls of the view switch. They live with it rather than with the benchmark view,
// so the run panel and the app header can offer the benchmark without importing it.

/** Opens the benchmark view (the run panel offers it). */
export function OpenBenchButton() {
  return (
    <button
      type="button"
      data-testid="open-bench"
      title="Time the layer suite of well-known CNNs: TN vs built-in"
      onClick={() => showView('bench')}
    >
      Benchmark suite…
    </button>
  );
}

/** The header's entry: looks like the route links beside it, but switches the view. */
export function BenchNavButton() {
  const open = useView((s) => s.view === 'bench');
  return (
    <button
      type="button"
      className="app-nav-button"
      data-testid="nav-benchmark"
      aria-current={open ? 'page' : undefined}
      onClick={() => showView(open ? 'main' : 'bench')}
    >
      Benchmark
    </button>
  );
}
