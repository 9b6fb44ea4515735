import layersFile from '../test/fixtures/layers.json';
import { describeBackend } from '../src/engine/backend.ts';
import { selectBrowserBackend } from '../src/engine/browser.ts';
import type { BackendName } from '../src/engine/backend.ts';
import { microBenchmarks } from './micro.ts';
import * as tf from '@tensorflow/tfjs-core';
import { formatReport, parseBenchArgs, runBenchmarks, type BenchReport, type DeviceErrorScope, type LayersFile } from './harness.ts';

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

/** WebGPU error scopes (validation, out-of-memory) around each measurement, if on WebGPU. */
function deviceErrorScope(): DeviceErrorScope | undefined {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device || typeof device.pushErrorScope !== 'function') return undefined;
  return {
    begin() {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
    },
    async end() {
      const validation = await device.popErrorScope();
      const memory = await device.popErrorScope();
      return validation?.message ?? memory?.message;
    },
  };
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
  const report = await runBenchmarks(layersFile as LayersFile, { ...config, log, deviceErrors: deviceErrorScope() }, {
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
