// Leak checks under repetition (issue 15): many consecutive runs in the run panel's worker on
// WebGPU and on wasm, cancels, simulated GPU device losses and run cells, sampling tfjs's
// tensor count and bytes, WebGPU buffers, the worker's heap where Chromium reports it (it
// does not inside a dedicated worker without cross-origin isolation) and the page's heap. Small here
// (part of `npm test`); `npm run soak` runs the full counts (SOAK_RUNS=300, SOAK_CELLS=100,
// SOAK_CANCELS=50, SOAK_LOSSES=20) and prints each curve's start, end and max.
/* global document, window, MutationObserver, gc, self -- used inside evaluate, which runs in the browser */
import {
  assert,
  byTestId,
  clickTestId,
  evaluationWorkers,
  expectNoConsoleErrors,
  fillTestId,
  openApp,
  waitForText,
} from './helpers.mjs';

const count = (name, fallback) => Number(process.env[name] ?? fallback);
const RUNS = count('SOAK_RUNS', 12);
const CELLS = count('SOAK_CELLS', 6);
const CANCELS = count('SOAK_CANCELS', 3);
const LOSSES = count('SOAK_LOSSES', 2);
const RUN_WAIT_MS = 90_000;
const SAMPLE_EVERY = Math.max(1, Math.floor(RUNS / 30));

/** Counts runs that end: `selector`'s button leaves its "Running…" state. */
async function watchRuns(page, selector) {
  await page.evaluate((sel) => {
    const w = window;
    w.__soak = { done: 0 };
    let running = false;
    const check = () => {
      const b = document.querySelector(sel);
      const now = Boolean(b && b.textContent.startsWith('Running'));
      if (running && !now) w.__soak.done++;
      running = now;
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, selector);
}

/** Clicks `selector` and waits until that run has ended. */
async function runOnce(page, selector) {
  const before = await page.evaluate(() => window.__soak.done);
  await page.locator(selector).first().click();
  await page.waitForFunction((n) => window.__soak.done > n, before, {
    timeout: RUN_WAIT_MS,
    polling: 50,
  });
}

function newestWorker(page) {
  const workers = evaluationWorkers(page);
  return workers[workers.length - 1];
}

/** One sample after a garbage collection (Chromium runs with --js-flags=--expose-gc). */
async function sample(page) {
  const worker = newestWorker(page);
  const inWorker = worker
    ? await worker.evaluate(() => {
        if (typeof gc === 'function') gc();
        return self.einsketchMemory();
      })
    : {};
  const pageHeap = await page.evaluate(() => {
    if (typeof gc === 'function') gc();
    return performance.memory?.usedJSHeapSize;
  });
  return { ...inWorker, pageHeap, workers: page.workers().length };
}

const SERIES = [
  'numTensors',
  'numBytes',
  'gpuBuffersUsed',
  'gpuBytesAllocated',
  'heapUsed',
  'pageHeap',
  'workers',
];

/** start / end / max of each sampled quantity, and at run 1, 100 and 300 where reached. */
function curves(samples) {
  const out = {};
  for (const key of SERIES) {
    const points = samples.filter((s) => typeof s[key] === 'number');
    if (points.length === 0) continue;
    const at = (n) => points.find((s) => s.run >= n)?.[key];
    out[key] = {
      start: points[0][key],
      end: points[points.length - 1][key],
      max: Math.max(...points.map((s) => s[key])),
      at1: at(1),
      at100: at(100),
      at300: at(300),
    };
  }
  return out;
}

function report(what, samples) {
  const c = curves(samples);
  console.log(`     soak ${what}: ${samples[samples.length - 1].run} runs`);
  for (const [key, v] of Object.entries(c)) {
    console.log(
      `       ${key.padEnd(17)} start ${v.start}  end ${v.end}  max ${v.max}  (run 1: ${v.at1 ?? '-'}, 100: ${v.at100 ?? '-'}, 300: ${v.at300 ?? '-'})`,
    );
  }
  return c;
}

/**
 * Flat after warm-up: the same live tensors, tensor bytes and GPU buffers in use at the end
 * as after the first run, and a heap that did not grow by more than noise (2 MiB + 25 %).
 */
function assertFlat(what, c) {
  for (const key of ['numTensors', 'numBytes', 'gpuBuffersUsed']) {
    if (c[key])
      assert.equal(
        c[key].end,
        c[key].start,
        `${what}: ${key} went from ${c[key].start} to ${c[key].end}`,
      );
  }
  for (const key of ['heapUsed', 'pageHeap']) {
    if (c[key])
      assert.ok(
        c[key].end <= c[key].start * 1.25 + 2 ** 21,
        `${what}: ${key} grew from ${c[key].start} to ${c[key].end}`,
      );
  }
}

async function panelRuns(page, backend, runs) {
  await byTestId(page, 'run-backend').first().selectOption(backend);
  const samples = [];
  for (let run = 1; run <= runs; run++) {
    await runOnce(page, '[data-testid="run"]');
    assert.equal(await byTestId(page, 'run-failure').count(), 0, `run ${run} on ${backend} failed`);
    if (run === 1 || run % SAMPLE_EVERY === 0 || run === runs)
      samples.push({ run, ...(await sample(page)) });
  }
  await waitForText(page, 'run-results', new RegExp(`on ${backend}`));
  return samples;
}

async function openSmallNetwork(t) {
  const page = await openApp(t);
  await fillTestId(page, 'field-batch', '1');
  await fillTestId(page, 'field-inChannels', '2');
  await fillTestId(page, 'field-input', '8, 8');
  await waitForText(page, 'einsum', /->/);
  await fillTestId(page, 'run-repeats', '1');
  await watchRuns(page, '[data-testid="run"]');
  return page;
}

export async function soakRunPanel(t) {
  const page = await openSmallNetwork(t);
  for (const backend of ['webgpu', 'wasm'])
    assertFlat(
      `${RUNS} runs on ${backend}`,
      report(`run panel on ${backend}`, await panelRuns(page, backend, RUNS)),
    );

  // Cancels: a long run stopped while it times the network, each time.
  await byTestId(page, 'run-backend').first().selectOption('webgpu');
  await fillTestId(page, 'run-repeats', '100000');
  const cancels = [{ run: 0, ...(await sample(page)) }];
  for (let j = 1; j <= CANCELS; j++) {
    const before = await page.evaluate(() => window.__soak.done);
    await clickTestId(page, 'run');
    // So many repeats may be estimated to take long (depending on the rate measured so far): then the panel asks first.
    await page
      .locator('[data-testid="run-confirm"], [data-testid="run-stage"]')
      .first()
      .waitFor({ timeout: RUN_WAIT_MS });
    if ((await byTestId(page, 'run-confirm').count()) > 0)
      await clickTestId(page, 'run-confirm-yes');
    await waitForText(page, 'run-stage', /^tn: /, RUN_WAIT_MS);
    await clickTestId(page, 'run-cancel');
    await page.waitForFunction((n) => window.__soak.done > n, before, {
      timeout: RUN_WAIT_MS,
      polling: 50,
    });
    assert.equal(
      await byTestId(page, 'run-failure').first().getAttribute('data-kind'),
      'cancelled',
    );
    if (j % Math.max(1, Math.floor(CANCELS / 10)) === 0 || j === CANCELS)
      cancels.push({ run: j, ...(await sample(page)) });
  }
  assertFlat(`${CANCELS} cancels`, report('cancels', cancels));

  // Device losses: each destroys the worker's GPU device; the next run gets a fresh worker.
  await fillTestId(page, 'run-repeats', '1');
  const losses = [];
  for (let j = 1; j <= LOSSES; j++) {
    await runOnce(page, '[data-testid="run"]');
    await newestWorker(page).evaluate(() => {
      const proto = globalThis.GPUDevice.prototype;
      for (const name of ['createCommandEncoder', 'createBuffer']) {
        const original = proto[name];
        proto[name] = function (...args) {
          this.destroy();
          return original.apply(this, args);
        };
      }
    });
    await runOnce(page, '[data-testid="run"]');
    assert.equal(
      await byTestId(page, 'run-failure').first().getAttribute('data-kind'),
      'device-lost',
    );
    await runOnce(page, '[data-testid="run"]');
    losses.push({ run: j, ...(await sample(page)) });
  }
  const lossCurves = report('device losses', losses);
  // A lost device's worker is replaced, not kept: the page holds one evaluation worker.
  assert.ok(
    lossCurves.workers.max <= losses[0].workers,
    `workers grew to ${lossCurves.workers.max}`,
  );
  assertFlat(`${LOSSES} device losses`, lossCurves);
  expectNoConsoleErrors(t, [/destroyed|lost|Device|GPU/i]);
}
soakRunPanel.timeout = 120_000 + (RUNS * 2 + CANCELS * 5 + LOSSES * 10) * 3_000;

export async function soakRunCells(t) {
  const page = await openApp(t, '#/tutorial/convolution-as-tensor-network');
  const cell = '.nb-run [data-testid="run"]';
  await page.locator(cell).first().waitFor({ timeout: RUN_WAIT_MS });
  await watchRuns(page, cell);
  const samples = [];
  for (let run = 1; run <= CELLS; run++) {
    await runOnce(page, cell);
    assert.equal(
      await page.locator('.nb-run [data-testid="error"]').count(),
      0,
      `run cell ${run} failed`,
    );
    if (run === 1 || run % Math.max(1, Math.floor(CELLS / 20)) === 0 || run === CELLS)
      samples.push({ run, ...(await sample(page)) });
  }
  assertFlat(`${CELLS} run cells`, report('run cells', samples));
  expectNoConsoleErrors(t);
}
soakRunCells.timeout = 120_000 + CELLS * 10_000;
