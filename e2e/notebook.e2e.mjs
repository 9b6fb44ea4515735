// The notebook (issue 7): cells added, edited, moved and deleted with undo/redo and
// autosave; a damaged save starts a fresh notebook with an error; export and import as a
// file; a diagram cell edited in the full editor and saved back; a run cell on WebGPU; the
// export menu's code, formula and pictures.
import { readFile } from 'node:fs/promises';
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  textOf,
  waitForTestId,
  waitForDiagram,
  waitForText,
} from './helpers.mjs';

const cellsOf = (page) =>
  page
    .locator('[data-testid="cell"]')
    .evaluateAll((cells) => cells.map((c) => `${c.dataset.kind}:${c.dataset.cellId}`));

const cell = (page, id) => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);

async function addProse(page, text) {
  await clickTestId(page, 'add-prose');
  await byTestId(page, 'prose-input').fill(text);
  await clickTestId(page, 'prose-done');
}

async function proseTexts(page) {
  const texts = await page.locator('[data-testid="prose-view"] .markdown').allTextContents();
  return texts.map((s) => s.trim());
}

/** Clicks `testId` inside `scope` and returns the downloaded file's name and bytes. */
async function download(page, scope, testId) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    scope.locator(`[data-testid="${testId}"]`).click(),
  ]);
  return { name: file.suggestedFilename(), data: await readFile(await file.path()) };
}

export async function cellsUndoRedoAndAutosave(t) {
  const page = await openApp(t, '#/notebook');
  await waitForTestId(page, 'notebook-empty');
  const title = byTestId(page, 'notebook-title');
  await title.fill('My notes');
  await title.press('Enter');
  await addProse(page, 'First: $\\Pi_{k,o,i}$');
  await byTestId(page, 'add-diagram').selectOption('conv_weight_vjp');
  await clickTestId(page, 'add-run');
  await addProse(page, 'Last');
  assert.deepEqual(await cellsOf(page), [
    'prose:text-1',
    'diagram:diagram-1',
    'run:run-1',
    'prose:text-2',
  ]);
  assert.equal(await page.locator('[data-testid="prose-view"] .katex').count(), 1);

  // Edit a text cell, move a cell, delete the diagram (its run cell goes with it).
  await cell(page, 'text-2').locator('[data-testid="prose-edit"]').click();
  await byTestId(page, 'prose-input').fill('Last, edited');
  await clickTestId(page, 'prose-done');
  await cell(page, 'text-2').locator('[data-testid="cell-up"]').click();
  assert.deepEqual(await cellsOf(page), [
    'prose:text-1',
    'diagram:diagram-1',
    'prose:text-2',
    'run:run-1',
  ]);
  await cell(page, 'diagram-1').locator('[data-testid="cell-delete"]').click();
  assert.deepEqual(await cellsOf(page), ['prose:text-1', 'prose:text-2']);
  await waitForText(page, 'info', /run cell that evaluated it/);

  await clickTestId(page, 'nb-undo');
  assert.equal((await cellsOf(page)).length, 4);
  await clickTestId(page, 'nb-undo');
  await clickTestId(page, 'nb-undo');
  const texts = await proseTexts(page);
  assert.equal(texts.length, 2);
  assert.match(texts[0], /^First: Π/);
  assert.equal(texts[1], 'Last');
  await clickTestId(page, 'nb-redo');
  // Keyboard shortcuts outside text fields.
  await page.locator('.nb-toolbar').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Shift+Z');
  assert.deepEqual(await cellsOf(page), [
    'prose:text-1',
    'diagram:diagram-1',
    'prose:text-2',
    'run:run-1',
  ]);

  // Autosave: a reload brings everything back.
  await page.reload();
  await waitForTestId(page, 'notebook');
  assert.equal(await byTestId(page, 'notebook-title').inputValue(), 'My notes');
  assert.deepEqual(await cellsOf(page), [
    'prose:text-1',
    'diagram:diagram-1',
    'prose:text-2',
    'run:run-1',
  ]);
  assert.match(await textOf(page, 'einsum'), /-> g c_out c_in k1 k2$/);
  expectNoConsoleErrors(t);
}

export async function damagedSaveStartsFresh(t) {
  const page = await openApp(t, '#/notebook');
  await page.evaluate(() =>
    localStorage.setItem('einsketch.notebook.v1', '{"version":1,"cells":[{'),
  );
  await page.reload();
  await waitForText(page, 'error', /could not be restored .*started a new one/);
  await waitForTestId(page, 'notebook-empty');
  assert.equal(
    await page.evaluate(() => localStorage.getItem('einsketch.notebook.v1.damaged')),
    '{"version":1,"cells":[{',
  );
  // The fresh notebook works and is saved over the damaged one.
  await addProse(page, 'new start');
  await page.reload();
  assert.deepEqual(await proseTexts(page), ['new start']);
  assert.equal(await byTestId(page, 'error').count(), 0);
  // The editor is unaffected.
  await page.goto(`${t.baseUrl}#/editor`);
  await waitForTestId(page, 'canvas');
  expectNoConsoleErrors(t);
}

export async function exportAndImportFile(t) {
  const page = await openApp(t, '#/notebook');
  const title = byTestId(page, 'notebook-title');
  await title.fill('Exported');
  await title.press('Enter');
  await addProse(page, 'to a file');
  await byTestId(page, 'add-diagram').selectOption('pointwise');
  const file = await download(page, page, 'export-notebook');
  assert.equal(file.name, 'Exported.einsketch.json');
  const json = JSON.parse(file.data.toString('utf8'));
  assert.equal(json.version, 2);
  assert.deepEqual(
    json.cells.map((c) => c.kind),
    ['prose', 'diagram'],
  );

  const fresh = await t.browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(`${t.baseUrl}#/notebook`);
    await waitForTestId(other, 'notebook-empty');
    // A broken file is refused with the reason and changes nothing.
    await byTestId(other, 'import-file').setInputFiles({
      name: 'broken.einsketch.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"version": 1, "title": "x", "cells": [}'),
    });
    await waitForText(
      other,
      'error',
      /not a notebook file: invalid JSON: unexpected "}" at line 1/,
    );
    await waitForTestId(other, 'notebook-empty');
    await byTestId(other, 'import-file').setInputFiles({
      name: file.name,
      mimeType: 'application/json',
      buffer: file.data,
    });
    await waitForText(other, 'info', /Imported “Exported”/);
    assert.deepEqual(await cellsOf(other), await cellsOf(page));
    assert.equal(await textOf(other, 'einsum'), await textOf(page, 'einsum'));
  } finally {
    await fresh.close();
  }
  expectNoConsoleErrors(t);
}

export async function diagramEditedInEditorAndSavedBack(t) {
  // The user's own editor work, which must come back afterwards.
  const page = await openApp(t, '#/editor');
  await byTestId(page, 'preset-select').selectOption('unfold');
  await waitForText(page, 'einsum', /-> n c k1 k2 o1 o2$/);
  await page.goto(`${t.baseUrl}#/notebook`);
  await byTestId(page, 'add-diagram').selectOption('conv_forward');
  await clickTestId(page, 'add-run-for');
  const diagram = cell(page, 'diagram-1');
  await diagram.locator('[data-testid="open-in-editor"]').click();
  await waitForTestId(page, 'editing-banner');
  await waitForText(page, 'einsum', /-> n g c_out o1 o2$/);

  // A reload in the middle keeps the session.
  await page.reload();
  await waitForTestId(page, 'editing-banner');
  await clickTestId(page, 'tensor-weight');
  await clickTestId(page, 'action-vjp');
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  await clickTestId(page, 'save-to-notebook');
  await waitForTestId(page, 'notebook');
  await waitForText(page, 'info', /Saved the diagram/);
  assert.match(await textOf(page, 'steps'), /VJP with respect to weight/);
  assert.match(await textOf(page, 'einsum'), /-> g c_out c_in k1 k2$/);
  assert.deepEqual(await cellsOf(page), ['diagram:diagram-1', 'run:run-1']);
  // One undo step takes the edit back.
  await clickTestId(page, 'nb-undo');
  assert.match(await textOf(page, 'einsum'), /-> n g c_out o1 o2$/);

  await page.goto(`${t.baseUrl}#/editor`);
  await waitForText(page, 'einsum', /-> n c k1 k2 o1 o2$/);
  assert.equal(await byTestId(page, 'editing-banner').count(), 0);
  // The editor's diagram can go to the notebook as a new cell.
  await clickTestId(page, 'add-to-notebook');
  await waitForText(page, 'info', /Added the editor's diagram as 'diagram-2'/);
  assert.deepEqual(await cellsOf(page), ['diagram:diagram-1', 'run:run-1', 'diagram:diagram-2']);
  expectNoConsoleErrors(t);
}

export async function runCellRunsAndKeepsResults(t) {
  const page = await openApp(t, '#/notebook');
  await byTestId(page, 'add-diagram').selectOption('kfac_reduce');
  await clickTestId(page, 'add-run');
  const run = cell(page, 'run-1');
  for (const [field, value] of [
    ['run-repeats', '2'],
    ['run-warmup', '0'],
  ]) {
    await run.locator(`[data-testid="${field}"]`).fill(value);
    await run.locator(`[data-testid="${field}"]`).press('Enter');
  }
  await run.locator('[data-testid="run"]').click();
  await run.locator('[data-testid="time-tn"]').waitFor({ timeout: 120_000 });
  assert.equal(await run.locator('[data-testid="run-backend"]').textContent(), 'webgpu');
  const error = Number(await run.locator('[data-testid="max-error"]').textContent());
  assert.ok(error < 1e-3, `max error ${error}`);
  assert.ok(
    Number.isFinite(Number(await run.locator('[data-testid="time-builtin"]').textContent())),
  );
  await page.reload();
  // The last results are part of the saved notebook.
  await cell(page, 'run-1').locator('[data-testid="time-tn"]').waitFor();
  assert.equal(await cell(page, 'run-1').locator('[data-testid="run-repeats"]').inputValue(), '2');
  expectNoConsoleErrors(t);
}
runCellRunsAndKeepsResults.timeout = 180_000;

export async function exportMenu(t) {
  const page = await openApp(t, '#/notebook');
  await byTestId(page, 'add-diagram').selectOption('conv_forward');
  const diagram = cell(page, 'diagram-1');
  await diagram.locator('[data-testid="export-menu"] summary').click();
  const py = await download(page, diagram, 'export-pytorch');
  assert.equal(py.name, 'Convolution.py');
  assert.match(py.data.toString(), /torch\.einsum/);
  const jax = await download(page, diagram, 'export-jax');
  assert.match(jax.data.toString(), /jnp\.einsum/);
  const tfjs = await download(page, diagram, 'export-tfjs');
  assert.match(tfjs.data.toString(), /export function contract/);
  const einsum = await download(page, diagram, 'export-einsum');
  assert.match(
    einsum.data.toString(),
    /^n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2 ; x, Π₁=Pi\(I=32,K=3,S=1,P=1,D=1\), Π₂=Pi\(I=32,K=3,S=1,P=1,D=1\), W:weight\n/,
  );
  const tex = await download(page, diagram, 'export-latex');
  assert.match(tex.data.toString(), /\\sum_/);
  const svg = await download(page, diagram, 'export-svg');
  assert.match(svg.data.toString(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg.data.toString(), />Π₁<\/text>/);
  const png = await download(page, diagram, 'export-png');
  assert.equal(png.name, 'Convolution.png');
  assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.data.length > 5000, `PNG of ${png.data.length} bytes`);
  // Copy: the clipboard may be refused in a headless browser; either way the user is told.
  await diagram.locator('[data-testid="copy-latex"]').click();
  await diagram.locator('[data-testid="export-status"], [data-testid="error"]').first().waitFor();

  // The editor's export menu exports the diagram on screen.
  await page.goto(`${t.baseUrl}#/editor`);
  await byTestId(page, 'preset-select').selectOption('dense_patchify');
  await page.locator('.editor-bar [data-testid="export-menu"] summary').click();
  const editorEinsum = await download(page, page.locator('.editor-bar'), 'export-einsum');
  assert.match(
    editorEinsum.data.toString(),
    /^n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2/,
  );
  const editorPy = await download(page, page.locator('.editor-bar'), 'export-pytorch');
  assert.equal(editorPy.name, 'dense_patchify.py');
  // The step checks travel with the derivation: the script re-runs them, the Markdown lists them.
  assert.match(editorPy.data.toString(), /def check_steps\(\):/);
  const editorChecks = await download(page, page.locator('.editor-bar'), 'export-checks');
  assert.equal(editorChecks.name, 'dense_patchify.checks.md');
  assert.match(editorChecks.data.toString(), /^# Step checks: dense_patchify\n/);
  expectNoConsoleErrors(t, [/clipboard/i]);
}

/** A tutorial as a notebook, for the README's screenshot (docs/notebook-tutorial.png). */
export async function notebookScreenshot(t) {
  const page = await openApp(t, '#/tutorial/simplification-rules');
  await waitForTestId(page, 'notebook');
  await page.setViewportSize({ width: 1280, height: 900 });
  await cell(page, 'vit-patchify').scrollIntoViewIfNeeded();
  await waitForDiagram(page);
  await page.waitForTimeout(600);
  // Every index of the diagram is drawn: x–W over c_in, k1, k2 and the open legs n, o1, o2,
  // c_out to the output (React Flow drops edges it cannot attach to a handle).
  const edges = cell(page, 'vit-patchify').locator('.react-flow__edge');
  assert.ok((await edges.count()) >= 7, `only ${await edges.count()} edges drawn`);
  await page.screenshot({
    path: new URL('../docs/notebook-tutorial.png', import.meta.url).pathname,
  });
  expectNoConsoleErrors(t);
}
