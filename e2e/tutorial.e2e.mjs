// Tutorials (issue 7): every tutorial opens at #/tutorial/<slug> with no console error, its
// diagrams render (canvas, einsum, KaTeX formula), and a live run cell runs on WebGPU and
// shows its numbers. One run cell per tutorial (the smallest, with 1 repeat and no warm-up)
// keeps the suite fast on SwiftShader.
/* global document */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  textOf,
  waitForTestId,
  WAIT_MS,
} from './helpers.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const RUN_MS = 120_000;

/** Opens a tutorial and checks what every tutorial must show. */
async function openTutorial(t, slug) {
  const page = await openApp(t, `#/tutorial/${slug}`);
  const notebook = await waitForTestId(page, 'notebook');
  assert.equal(await notebook.getAttribute('data-scope'), 'tutorial');
  assert.ok((await textOf(page, 'notebook-title')).length > 3);
  assert.ok((await byTestId(page, 'cell').count()) > 5, 'a tutorial has many cells');
  // Prose with KaTeX, and diagrams with their einsum and formula.
  assert.ok((await page.locator('[data-testid="prose-view"] .katex').count()) > 0);
  assert.ok((await byTestId(page, 'einsum').count()) > 0);
  assert.ok((await page.locator('[data-testid="formula"] .katex').count()) > 0);
  return page;
}

/** Runs one run cell with 1 repeat and no warm-up; returns its result texts. */
async function runCell(page, id) {
  const cell = page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
  await cell.scrollIntoViewIfNeeded();
  for (const [field, value] of [
    ['run-repeats', '1'],
    ['run-warmup', '0'],
  ]) {
    const input = cell.locator(`[data-testid="${field}"]`);
    await input.fill(value);
    await input.press('Enter');
    assert.equal(await input.inputValue(), value);
  }
  await cell.locator('[data-testid="run"]').click();
  const time = cell.locator('[data-testid="time-tn"]');
  await time.waitFor({ timeout: RUN_MS });
  const failed = cell.locator('[data-testid="error"]');
  if (await failed.count()) assert.fail(`run cell ${id} failed: ${await failed.textContent()}`);
  const read = async (testId) =>
    ((await cell.locator(`[data-testid="${testId}"]`).textContent()) ?? '').trim();
  return {
    backend: await read('run-backend'),
    maxError: await read('max-error'),
    timeTn: await read('time-tn'),
    timeBuiltin: await read('time-builtin'),
  };
}

function assertRan(result, { checked = true, builtin = false } = {}) {
  assert.equal(result.backend, 'webgpu');
  assert.ok(Number.isFinite(Number(result.timeTn)) && Number(result.timeTn) >= 0, result.timeTn);
  if (checked) assert.ok(Number(result.maxError) < 1e-3, `max error ${result.maxError}`);
  if (builtin) assert.ok(Number.isFinite(Number(result.timeBuiltin)), result.timeBuiltin);
}

export async function startPageListsTutorials(t) {
  const page = await openApp(t, '#/');
  await waitForTestId(page, 'start-page');
  const links = page.locator('[data-testid^="tutorial-link-"]');
  const shipped = readdirSync(join(repo, 'tutorials')).filter((f) => f.endsWith('.md'));
  assert.equal(await links.count(), shipped.length);
  await clickTestId(page, 'tutorial-link-tensor-dropout');
  await waitForTestId(page, 'notebook');
  assert.match(await textOf(page, 'notebook-title'), /Tensor dropout/);
  assert.equal(new URL(page.url()).hash, '#/tutorial/tensor-dropout');
  // The start page offers the editor and the notebook too.
  await clickTestId(page, 'nav-start');
  await clickTestId(page, 'start-editor');
  await waitForTestId(page, 'canvas');
  await clickTestId(page, 'nav-start');
  await clickTestId(page, 'start-notebook');
  await waitForTestId(page, 'notebook-empty');
  expectNoConsoleErrors(t);
}

export async function convolutionAsTensorNetwork(t) {
  const page = await openTutorial(t, 'convolution-as-tensor-network');
  assertRan(await runCell(page, 'run-3'), { builtin: true });
  expectNoConsoleErrors(t);
}
convolutionAsTensorNetwork.timeout = 180_000;

export async function differentiation(t) {
  const page = await openTutorial(t, 'differentiation');
  // A VJP (checked against the float64 reference) and the product rule, a sum of two
  // networks run one after the other.
  assertRan(await runCell(page, 'run-5'));
  const product = page.locator('[data-testid="cell"][data-cell-id="product-rule"]');
  await product.locator('[data-testid="term-2"]').click();
  assertRan(await runCell(page, 'run-14'));
  expectNoConsoleErrors(t);
}
differentiation.timeout = 180_000;

export async function simplificationRules(t) {
  const page = await openTutorial(t, 'simplification-rules');
  assert.ok((await byTestId(page, 'steps').count()) > 0, 'diagrams list their steps');
  // The KFAC-reduce factor of the ResNet-18 stem, simplified (no tfjs built-in: the check is
  // the float64 reference).
  assertRan(await runCell(page, 'run-16'));
  expectNoConsoleErrors(t);
}
simplificationRules.timeout = 180_000;

export async function kfcVsKfacReduce(t) {
  const page = await openTutorial(t, 'kfc-vs-kfac-reduce');
  assertRan(await runCell(page, 'run-15'));
  expectNoConsoleErrors(t);
}
kfcVsKfacReduce.timeout = 180_000;

export async function tensorDropout(t) {
  const page = await openTutorial(t, 'tensor-dropout');
  // Dropout changes the value on purpose: the check is against the reference evaluator of
  // the thinned network, or skipped when that is too big.
  const result = await runCell(page, 'run-6');
  assertRan(result, { checked: false });
  assert.ok(result.maxError === '—' || Number(result.maxError) < 1e-3, result.maxError);
  expectNoConsoleErrors(t);
}
tensorDropout.timeout = 180_000;

export async function randomisedBackpropagation(t) {
  const page = await openTutorial(t, 'randomised-backpropagation');
  const chart = page.locator('[data-testid="cell"][data-cell-id="chart-smooth"]');
  assert.match(await chart.locator('[data-testid="chart-missing"]').textContent(), /s-spatial-25/);
  // A quarter of the rows o₁ and a quarter of the batch, on smooth inputs, each measured
  // against the exact weight VJP (float64 reference); the tutorial states these values.
  const measured = {};
  for (const [id, want] of [
    ['s-spatial-25', 0.49],
    ['s-batch-25', 1.93],
  ]) {
    assertRan(await runCell(page, id), { checked: false });
    const cell = page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);
    const error = Number(await cell.locator('[data-testid="relative-error"]').textContent());
    const cost = Number(await cell.locator('[data-testid="relative-cost"]').textContent());
    assert.ok(Math.abs(error - want) < 0.01, `${id}: relative error ${error}, expected ${want}`);
    assert.ok(Math.abs(cost - 0.25) < 0.01, `${id}: cost ${cost}`);
    measured[id] = error;
  }
  assert.ok(measured['s-spatial-25'] < measured['s-batch-25']);
  // The chart plots both points now and still names the runs it lacks.
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-cell-id="chart-smooth"] [data-testid="chart-point"]')
        .length === 2,
    null,
    { timeout: WAIT_MS },
  );
  assert.equal(await chart.locator('svg circle').count(), 2);
  assert.doesNotMatch(
    await chart.locator('[data-testid="chart-missing"]').textContent(),
    /s-spatial-25/,
  );
  expectNoConsoleErrors(t);
}
randomisedBackpropagation.timeout = 240_000;

export async function perExampleGradients(t) {
  const page = await openTutorial(t, 'per-example-gradients');
  assertRan(await runCell(page, 'run-4'));
  expectNoConsoleErrors(t);
}
perExampleGradients.timeout = 180_000;

export async function curvatureOfAConvolution(t) {
  const page = await openTutorial(t, 'curvature-of-a-convolution');
  // The first run cell: per-example gradient norms, checked against the float64 reference.
  const first = page.locator('[data-testid="cell"][data-cell-id^="run-"]').first();
  assertRan(await runCell(page, await first.getAttribute('data-cell-id')));
  expectNoConsoleErrors(t);
}
curvatureOfAConvolution.timeout = 180_000;

/** Exploring a tutorial's diagram in the editor leaves the user's own editor work alone. */
export async function tutorialDiagramInEditor(t) {
  const page = await openApp(t, '#/editor');
  await byTestId(page, 'preset-select').selectOption('unfold');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="einsum"]')?.textContent?.endsWith('-> n c k1 k2 o1 o2'),
  );
  await page.goto(`${t.baseUrl}#/tutorial/differentiation`);
  const cell = page.locator('[data-testid="cell"][data-cell-id="vjp-w"]');
  await cell.locator('[data-testid="open-in-editor"]').click();
  await waitForTestId(page, 'editing-banner');
  assert.equal(new URL(page.url()).hash, '#/editor');
  assert.match(await textOf(page, 'einsum'), /-> g c_out c_in k1 k2$/);
  await clickTestId(page, 'discard-edit');
  await waitForTestId(page, 'notebook');
  assert.equal(new URL(page.url()).hash, '#/tutorial/differentiation');
  await page.goto(`${t.baseUrl}#/editor`);
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="einsum"]')?.textContent?.endsWith('-> n c k1 k2 o1 o2'),
    null,
    { timeout: WAIT_MS },
  );
  assert.equal(await byTestId(page, 'editing-banner').count(), 0);
  expectNoConsoleErrors(t);
}

/** "Edit a copy" makes a tutorial the user's notebook, asking first when theirs has cells. */
export async function editACopy(t) {
  const page = await openApp(t, '#/notebook');
  await clickTestId(page, 'add-prose');
  await byTestId(page, 'prose-input').fill('my own text');
  await clickTestId(page, 'prose-done');
  await page.goto(`${t.baseUrl}#/tutorial/per-example-gradients`);
  await waitForTestId(page, 'notebook');
  const cells = await byTestId(page, 'cell').count();
  await clickTestId(page, 'copy-tutorial');
  await waitForTestId(page, 'confirm-replace');
  await clickTestId(page, 'confirm-no');
  assert.equal(new URL(page.url()).hash, '#/tutorial/per-example-gradients');
  await clickTestId(page, 'copy-tutorial');
  await clickTestId(page, 'confirm-yes');
  await waitForTestId(page, 'nb-undo');
  assert.equal(new URL(page.url()).hash, '#/notebook');
  assert.equal(await byTestId(page, 'cell').count(), cells);
  assert.match(await byTestId(page, 'notebook-title').inputValue(), /Per-example gradients/);
  // Now editable: the cells have their move/delete bar, and undo brings the old notebook back.
  assert.ok((await byTestId(page, 'cell-delete').count()) === cells);
  await clickTestId(page, 'nb-undo');
  await page
    .locator('[data-testid="prose-view"]', { hasText: 'my own text' })
    .waitFor({ timeout: WAIT_MS });
  expectNoConsoleErrors(t);
}
