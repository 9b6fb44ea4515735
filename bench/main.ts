import * as tf from '@tensorflow/tfjs-core';
import layersFile from '../test/fixtures/layers.json';
import { describeBackend, type BackendName } from '../src/engine/backend.ts';
import {
  formatReport,
  parseBenchArgs,
  parseLayersFile,
  runBenchmarks,
  webgpuErrorScope,
  type BenchReport,
} from '../src/engine/bench/index.ts';
import { selectBrowserBackend } from '../src/engine/browser.ts';
import { microBenchmarks } from './micro.ts';

/**
 * The benchmark page: selects the backend (webgpu first), runs the suite with options
 * from the query string on the layers bench/run.mjs handed over (--layers-file) or the
 * project's suite, logs progress to the page and the console (the playwright driver
 * relays it), and leaves the report on window.__bench.
 */
declare global {
  interface Window {
    __bench?: { done: boolean; report?: BenchReport; table?: string; error?: string };
    /** Set by bench/run.mjs before the page loads: `{source, json}` of --layers-file. */
    __benchLayers?: { source: string; json: unknown };
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
  const given = window.__benchLayers;
  const file = given
    ? parseLayersFile(given.json, given.source)
    : parseLayersFile(layersFile, 'test/fixtures/layers.json');
  const order = params.get('backend')?.split(',') as BackendName[] | undefined;
  const choice = await selectBrowserBackend(order);
  log(`backend: ${describeBackend(choice)} (tfjs ${tf.version_core})`);
  if (params.has('micro')) {
    await microBenchmarks(log);
    window.__bench = { done: true, table: 'micro-benchmarks only' };
    return;
  }
  const report = await runBenchmarks(
    file,
    { ...config, log, deviceErrors: webgpuErrorScope() },
    { name: choice.name, fallbacks: choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`) },
  );
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
