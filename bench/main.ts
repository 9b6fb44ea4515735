import layersFile from '../test/fixtures/layers.json';
import { describeBackend } from '../src/engine/backend.ts';
import { selectBrowserBackend } from '../src/engine/browser.ts';
import type { BackendName } from '../src/engine/backend.ts';
import { microBenchmarks } from './micro.ts';
import { formatReport, parseBenchArgs, runBenchmarks, type BenchReport, type LayersFile } from './harness.ts';

/**
 * The benchmark page: selects the backend (webgpu first), runs the harness with options
 * from the query string, logs progress to the page and the console (the playwright
 * driver, bench/run.mjs, relays it), and leaves the report on window.__bench.
 */
declare global {
  interface Window {
    __bench?: { done: boolean; report?: BenchReport; table?: string; error?: string };
  }
}

const logEl = document.getElementById('log')!;
function log(line: string): void {
  logEl.textContent += `${line}\n`;
  console.log(`[bench] ${line}`);
}

async function main(): Promise<void> {
  window.__bench = { done: false };
  const params = new URLSearchParams(location.search);
  const config = parseBenchArgs(
    (name) => params.get(name) ?? undefined,
    (name) => params.has(name),
  );
  const order = params.get('backend')?.split(',') as BackendName[] | undefined;
  const choice = await selectBrowserBackend(order);
  log(`backend: ${describeBackend(choice)}`);
  if (params.has('micro')) {
    await microBenchmarks(log);
    window.__bench = { done: true, table: 'micro-benchmarks only' };
    return;
  }
  const report = await runBenchmarks(layersFile as LayersFile, { ...config, log }, {
    name: choice.name,
    fallbacks: choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`),
  });
  const table = formatReport(report);
  logEl.textContent += `${table}\n`;
  log('done');
  window.__bench = { done: true, report, table };
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  log(`error: ${message}`);
  window.__bench = { done: true, error: message };
});
