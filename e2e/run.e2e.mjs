// Evaluating on the GPU in the app (issue 6): the run panel on WebGPU (SwiftShader in headless
// Chromium), an editor that stays responsive while the worker runs, the memory-budget
// refusal before allocation, invalid uploads, and the in-app benchmark view.
/* global requestAnimationFrame, window -- used inside page.evaluate, which runs in the browser */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert,
  byTestId,
  clickTestId,
  evaluationWorkers,
  expectNoConsoleErrors,
  fillTestId,
  openApp,
  textOf,
  waitForTestId,
  waitForText,
} from './helpers.mjs';

const RUN_WAIT_MS = 90_000;
const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');

/** A screenshot of the real app for the README. */
async function screenshot(page, name) {
  mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: join(docs, name) });
}

async function pickPreset(page, id) {
  await byTestId(page, 'preset-select').selectOption(id);
}

/** The run panel's own hook (the header has a `backend` of its own, for the page's tfjs). */
const inResults = (page, id) => page.locator(`[data-testid="run-results"] [data-testid="${id}"]`);

/** Starts counting the longest gap between animation frames (a frozen page has long ones). */
async function watchFrames(page) {
  await page.evaluate(() => {
    const w = window;
    w.__frames = { longest: 0, count: 0, last: performance.now(), on: true, tasks: [] };
    // Long tasks on the page's main thread (a frame gap can also be the GPU process busy
    // compiling a shader, which does not block the page). Held by the page so it is not
    // collected while the run goes on.
    w.__longTasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__frames.tasks.push(Math.round(e.duration));
    });
    w.__longTasks.observe({ type: 'longtask' });
    const tick = (now) => {
      const f = w.__frames;
      f.longest = Math.max(f.longest, now - f.last);
      f.last = now;
      f.count++;
      if (f.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export async function kfacReduceOnWebGPU(t) {
  const page = await openApp(t);
  await pickPreset(page, 'kfac_reduce');
  await waitForText(page, 'einsum', /->/);
  await watchFrames(page);
  await clickTestId(page, 'run');
  await waitForTestId(page, 'run-progress');
  // While the worker runs, a click on the canvas selects a tensor and the inspector shows it.
  await page.locator('[data-testid="canvas"] [data-testid="tensor-x"]').first().click();
  await waitForText(page, 'inspector', /\bx\b/);
  assert.equal(
    await byTestId(page, 'run-progress').count(),
    1,
    'the run should still be going when the inspector updated',
  );
  await inResults(page, 'max-error').waitFor({ timeout: RUN_WAIT_MS });
  const frames = await page.evaluate(() => {
    window.__frames.on = false;
    return window.__frames;
  });
  assert.equal((await inResults(page, 'backend').textContent()).trim(), 'webgpu');
  const maxError = Number(await inResults(page, 'max-error').textContent());
  assert.ok(maxError < 1e-3, `max-error ${maxError}`);
  const tn = Number(await textOf(page, 'time-tn'));
  const builtin = Number(await textOf(page, 'time-builtin'));
  assert.ok(Number.isFinite(tn) && tn > 0, `time-tn ${tn}`);
  assert.ok(Number.isFinite(builtin) && builtin > 0, `time-builtin ${builtin}`);
  assert.match(await textOf(page, 'time-tn-spread'), /^[\d.]+–[\d.]+$/);
  // Each step says what ran it: on WebGPU the generated kernels, with a time each.
  await page.locator('.run-steps > summary').click();
  const kinds = await page.locator('[data-testid="run-step-kinds"]').allTextContents();
  assert.ok(
    kinds.length > 0 &&
      kinds.every((k) => /^(tiled|direct|lazy)( \+ (tiled|direct|lazy))*$/.test(k.trim())),
    `step kinds ${kinds}`,
  );
  assert.ok(
    kinds.some((k) => /direct/.test(k)),
    `KFAC-reduce sums x·Π̄ with a direct kernel: ${kinds}`,
  );
  const stepMs = (await page.locator('[data-testid="run-step-ms"]').allTextContents()).map(Number);
  assert.ok(
    stepMs.every((ms) => Number.isFinite(ms) && ms >= 0),
    `step times ${stepMs}`,
  );
  assert.equal(await byTestId(page, 'run-kernel-fallback').count(), 0);
  // The plan panel says which kernel runs each of its steps, and after the run how long
  // each took: a step where Π joins its tensor runs none (—), the others a kernel.
  const planKernels = await page.locator('[data-testid="plan-step-kernel"]').allTextContents();
  assert.ok(
    planKernels.some((k) => /^(tiled|direct)/.test(k.trim())) &&
      planKernels.every((k) => /^(—|(tiled|direct|phased)( \+ \w+)*)$/.test(k.trim())),
    `plan step kernels ${planKernels}`,
  );
  const planMs = (await page.locator('[data-testid="plan-step-ms"]').allTextContents()).filter(
    (t) => t.trim() !== '',
  );
  assert.ok(
    planMs.length > 0 && planMs.every((t) => Number.isFinite(Number(t))),
    `plan step times ${planMs}`,
  );
  assert.equal(await byTestId(page, 'plan-other-path').count(), 0);
  await waitForTestId(page, 'run-chart');
  console.log(
    `     kfac_reduce on webgpu: TN ${tn} ms, built-in ${builtin} ms, max error ${maxError}; ` +
      `${frames.count} frames during the run, longest gap ${frames.longest.toFixed(0)} ms; long tasks ${JSON.stringify(frames.tasks)}`,
  );
  // The page's main thread never blocks: the run is in the worker. Frames may still pause
  // while SwiftShader (the GPU process, on the CPU) compiles or runs a long dispatch.
  const longestTask = Math.max(0, ...frames.tasks);
  assert.ok(
    longestTask < 500,
    `the page's main thread was blocked for ${longestTask} ms during the run`,
  );
  assert.ok(frames.longest < 5000, `no frame for ${frames.longest} ms during the run`);
  // The long-task watch sees a blocked main thread (else the assertion above could not fail).
  const seen = await page.evaluate(async () => {
    // In a task of the page's own (a protocol call is not one).
    await new Promise((resolve) =>
      setTimeout(() => {
        const end = performance.now() + 150;
        while (performance.now() < end);
        resolve();
      }, 0),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    return window.__frames.tasks.length;
  });
  assert.ok(seen > frames.tasks.length, 'a 150 ms busy loop should show as a long task');
  await screenshot(page, 'run-panel.png');
  expectNoConsoleErrors(t);
}
kfacReduceOnWebGPU.timeout = 180_000;

export async function overBudgetRefused(t) {
  const page = await openApp(t);
  await pickPreset(page, 'kfc');
  // On wasm the network is evaluated with tfjs ops, which unfold the input: [8, 64·9, 256·256]
  // float32 = 1.1 GiB, over the 1 GiB budget. (WebGPU's generated kernel never unfolds it.)
  await byTestId(page, 'run-backend').selectOption('wasm');
  await fillTestId(page, 'field-inChannels', '64');
  await fillTestId(page, 'field-input', '256, 256');
  await waitForText(page, 'einsum', /->/);
  await clickTestId(page, 'run');
  const failure = await waitForTestId(page, 'run-failure');
  assert.equal(await failure.getAttribute('data-kind'), 'budget');
  // Refused while planning: the backend was never started, no tensor was made.
  assert.equal(await failure.getAttribute('data-stage'), 'plan');
  const message = await failure.locator('[data-testid="error"]').textContent();
  assert.match(message, /memory budget of 1\.00 GiB exceeded .* nothing was allocated/);
  // The work is kept.
  assert.equal(await byTestId(page, 'field-inChannels').inputValue(), '64');
  expectNoConsoleErrors(t);
}

export async function invalidUploadShowsError(t) {
  const page = await openApp(t);
  await pickPreset(page, 'kfac_reduce');
  const upload = byTestId(page, 'run-upload');
  await upload.setInputFiles({
    name: 'x.npy',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a numpy file'),
  });
  assert.match(await textOf(page, 'error'), /x\.npy is not a \.npy file/);
  // A well-formed file of the wrong shape is refused too, naming both shapes.
  const json = JSON.stringify({ x: { shape: [1, 2], data: [1, 2] } });
  await upload.setInputFiles({
    name: 'inputs.json',
    mimeType: 'application/json',
    buffer: Buffer.from(json),
  });
  await waitForText(
    page,
    'error',
    /uploaded input 'x' has shape \[1, 2\]; the network needs \[8, 16, 32, 32\]/,
  );
  expectNoConsoleErrors(t);
}

// The layer and op the in-app benchmark is compared on with `npm run bench` (see the README).
const BENCH_LAYER = 'resnet18.layer1.0.conv1';
const BENCH_OP = 'kfac_reduce';

export async function benchmarkViewOneLayer(t) {
  const page = await openApp(t);
  await clickTestId(page, 'nav-benchmark');
  await waitForTestId(page, 'bench-view');
  await page.locator('.bench-layers button', { hasText: 'none' }).click();
  await byTestId(page, `bench-layer-${BENCH_LAYER}`).check();
  for (const op of ['forward', 'input_vjp', 'weight_vjp', 'kfc'])
    await byTestId(page, `bench-op-${op}`).uncheck();
  await fillTestId(page, 'bench-batch', '1');
  await clickTestId(page, 'bench-run');
  await waitForTestId(page, 'bench-progress');
  const row = byTestId(page, `bench-row-${BENCH_LAYER}-${BENCH_OP}`);
  await row.waitFor({ timeout: RUN_WAIT_MS });
  await waitForTestId(page, 'bench-download-csv', RUN_WAIT_MS);
  const ratio = Number(await row.locator('[data-testid="bench-ratio"]').textContent());
  assert.ok(Number.isFinite(ratio) && ratio > 0, `ratio ${ratio}`);
  await waitForTestId(page, 'bench-chart');
  await screenshot(page, 'bench-view.png');
  // Both downloads carry the case.
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    clickTestId(page, 'bench-download-csv'),
  ]);
  const csvText = await streamText(await csv.createReadStream());
  assert.match(csvText.split('\n')[0], /^layer,kind,op,batch,tn_median_ms/);
  assert.match(
    csvText,
    new RegExp(`^${BENCH_LAYER.replaceAll('.', '\\.')},general,${BENCH_OP},1,`, 'm'),
  );
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    clickTestId(page, 'bench-download-json'),
  ]);
  const report = JSON.parse(await streamText(await json.createReadStream()));
  assert.equal(report.backend, 'webgpu');
  assert.equal(report.cases.length, 1);
  const c = report.cases[0];
  console.log(
    `     in-app benchmark ${BENCH_LAYER} ${BENCH_OP} batch 1 on ${report.backend}: TN ${c.tn.medianMs.toFixed(1)} ms, ` +
      `built-in ${c.builtin.medianMs.toFixed(1)} ms, ratio ${c.ratio.toFixed(3)}`,
  );
  // Back to the editor, which kept its state.
  await page.keyboard.press('Escape');
  await waitForTestId(page, 'canvas');
  expectNoConsoleErrors(t);
}
benchmarkViewOneLayer.timeout = 180_000;

async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function lostGpuDeviceOffersWasm(t) {
  const page = await openApp(t);
  await fillTestId(page, 'field-batch', '1');
  await waitForText(page, 'einsum', /->/);
  await fillTestId(page, 'run-repeats', '1');
  const before = await textOf(page, 'einsum');
  await clickTestId(page, 'run');
  await inResults(page, 'time-tn').waitFor({ timeout: RUN_WAIT_MS });
  // Lose the worker's WebGPU device the next time tfjs records GPU work (what a driver
  // reset or a tab running out of GPU memory does).
  const [worker] = evaluationWorkers(page);
  assert.ok(worker, 'the evaluation worker should be running');
  await worker.evaluate(() => {
    const lose = (proto, name) => {
      const original = proto[name];
      proto[name] = function (...args) {
        const device = this instanceof globalThis.GPUDevice ? this : undefined;
        if (device) device.destroy();
        return original.apply(this, args);
      };
    };
    lose(globalThis.GPUDevice.prototype, 'createCommandEncoder');
    lose(globalThis.GPUDevice.prototype, 'createBuffer');
  });
  await clickTestId(page, 'run');
  const failure = await waitForTestId(page, 'run-failure', RUN_WAIT_MS);
  assert.equal(await failure.getAttribute('data-kind'), 'device-lost');
  const lost = await failure.locator('[data-testid="error"]').textContent();
  assert.match(lost, /GPU device was lost/);
  console.log(`     after losing the device: ${lost}`);
  // The offer runs the same network on wasm in a fresh worker; the work is untouched.
  assert.equal((await textOf(page, 'run-fallback')).trim(), 'Run on wasm instead');
  await clickTestId(page, 'run-fallback');
  await waitForText(page, 'run-results', /on wasm/, RUN_WAIT_MS);
  assert.ok(Number(await inResults(page, 'max-error').textContent()) < 1e-3);
  assert.equal(await textOf(page, 'einsum'), before);
  expectNoConsoleErrors(t, [/destroyed|lost|Device|GPU/i]);
}
lostGpuDeviceOffersWasm.timeout = 180_000;

export async function cancelLongRun(t) {
  const page = await openApp(t);
  await fillTestId(page, 'run-repeats', '100');
  await clickTestId(page, 'run');
  // 100 repeats are estimated to take long on a device with no measured rate: say go.
  await page
    .locator('[data-testid="run-confirm"], [data-testid="run-stage"]')
    .first()
    .waitFor({ timeout: RUN_WAIT_MS });
  if ((await byTestId(page, 'run-confirm').count()) > 0) await clickTestId(page, 'run-confirm-yes');
  await waitForText(page, 'run-stage', /^tn: /, RUN_WAIT_MS);
  await clickTestId(page, 'run-cancel');
  const note = await waitForTestId(page, 'run-failure');
  assert.equal(await note.getAttribute('data-kind'), 'cancelled');
  assert.equal(await byTestId(page, 'run-progress').count(), 0);
  // The next run goes through (a cancelled job leaves the worker usable).
  await fillTestId(page, 'run-repeats', '1');
  await fillTestId(page, 'field-batch', '1');
  await clickTestId(page, 'run');
  await inResults(page, 'time-tn').waitFor({ timeout: RUN_WAIT_MS });
  expectNoConsoleErrors(t);
}
cancelLongRun.timeout = 120_000;

// The first screen's demonstration: the default convolution, run on WebGPU with the
// generated kernels, against tf.conv2d timed from the same NCHW input to the same result.
export async function defaultScreenTensorNetworkFaster(t) {
  const page = await openApp(t);
  await waitForText(page, 'einsum', /->/);
  await clickTestId(page, 'run');
  await inResults(page, 'max-error').waitFor({ timeout: RUN_WAIT_MS });
  assert.equal((await inResults(page, 'backend').textContent()).trim(), 'webgpu');
  const maxError = Number(await inResults(page, 'max-error').textContent());
  assert.ok(maxError < 1e-3, `max-error ${maxError}`);
  const ratio = Number(await textOf(page, 'run-ratio'));
  const verdict = await page.locator('[data-testid="run-ratio"]').locator('..').textContent();
  console.log(`     default convolution on webgpu: TN / built-in ${ratio} (${verdict.trim()})`);
  assert.match(verdict, /the tensor network is faster/);
  expectNoConsoleErrors(t);
}
defaultScreenTensorNetworkFaster.timeout = 180_000;
