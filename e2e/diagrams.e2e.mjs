// The diagram style (issue 12): the README's pictures of the convolution, its weight VJP
// simplified, KFC and KFAC-reduce, and the frames of a simplification stepped through, each
// checked against the legibility targets of `npm run diagram-quality` as it is taken.
/* global document -- used inside page.waitForFunction, which runs in the browser */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDiagram } from '../scripts/diagram-metrics.mjs';
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  waitForDiagram,
  waitForText,
} from './helpers.mjs';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'diagrams');

async function openEditor(t) {
  const page = await openApp(t);
  await page.setViewportSize({ width: 1440, height: 900 });
  const hint = page.locator('[data-testid="hint"] button');
  if (await hint.count()) await hint.click();
  return page;
}

async function pickPreset(page, id) {
  await byTestId(page, 'preset-select').selectOption(id);
  await waitForDiagram(page);
}

/** Fits the view, checks the targets and saves the canvas as docs/diagrams/<name>.png. */
async function picture(page, name) {
  await waitForDiagram(page);
  await clickTestId(page, 'fit-view');
  await page.waitForTimeout(500);
  const m = await page.evaluate(measureDiagram, '[data-testid="canvas"]');
  assert.equal(m.nodeOverlaps, 0, `${name}: node overlaps`);
  assert.equal(m.edgesThroughTensor, 0, `${name}: edges through a tensor`);
  assert.equal(m.overlappingTexts, 0, `${name}: overlapping texts`);
  assert.ok(m.smallestTextPx >= 11, `${name}: text at ${m.smallestTextPx} px`);
  assert.ok(m.canvasUse.best >= 0.6, `${name}: uses ${m.canvasUse.best} of the canvas`);
  mkdirSync(docs, { recursive: true });
  await byTestId(page, 'canvas').screenshot({ path: join(docs, `${name}.png`) });
  return m;
}

export async function readmePictures(t) {
  const page = await openEditor(t);
  await pickPreset(page, 'unfold');
  await pickPreset(page, 'conv_forward');
  await picture(page, 'convolution');

  await byTestId(page, 'tensor-weight').click();
  await clickTestId(page, 'action-vjp');
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  await clickTestId(page, 'simplify-all');
  await waitForText(page, 'step-log', /\w/);
  await picture(page, 'weight-vjp-simplified');

  await pickPreset(page, 'kfc');
  await picture(page, 'kfc');
  await pickPreset(page, 'kfac_reduce');
  await picture(page, 'kfac-reduce');
  expectNoConsoleErrors(t);
}
readmePictures.timeout = 240_000;

/** Simplifying the ViT patchify one rule at a time: one picture per step of the log. */
export async function simplificationFrames(t) {
  const page = await openEditor(t);
  await pickPreset(page, 'dense_patchify');
  await picture(page, 'patchify-step-0');
  let step = 0;
  while (!(await byTestId(page, 'simplify-step').isDisabled())) {
    const before = await byTestId(page, 'einsum').textContent();
    await clickTestId(page, 'simplify-step');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="einsum"]')?.textContent !== text,
      before,
    );
    step++;
    await picture(page, `patchify-step-${step}`);
  }
  assert.ok(step >= 2, `only ${step} simplification steps`);
  expectNoConsoleErrors(t);
}
simplificationFrames.timeout = 240_000;
