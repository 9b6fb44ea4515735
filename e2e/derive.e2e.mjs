/* global document, window -- used inside page.evaluate, which runs in the browser */
// The derivation is checked: a derivation that is an operation of the layer is compared
// with that operation's built-in, a loaded einsum typesets, and a broken rule gets a ✗.
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  fillTestId,
  openApp,
  waitForTestId,
  waitForText,
} from './helpers.mjs';

const RUN_WAIT_MS = 90_000;
const inResults = (page, id) => page.locator(`[data-testid="run-results"] [data-testid="${id}"]`);

export async function stridedConvWeightVjpComparesWithBuiltin(t) {
  const page = await openApp(t);
  await byTestId(page, 'preset-select').selectOption('conv_forward');
  await fillTestId(page, 'field-batch', '1');
  await fillTestId(page, 'field-stride', '2, 2');
  await waitForText(page, 'result-shape', /\[1, 32, 16, 16\]/);
  await clickTestId(page, 'tensor-weight');
  await clickTestId(page, 'action-vjp');
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  // The VJP is checked against a central difference on a small instance.
  const check = await waitForTestId(page, 'diff-check');
  assert.equal(await check.getAttribute('data-status'), 'ok');
  await fillTestId(page, 'run-repeats', '1');
  await clickTestId(page, 'run');
  await inResults(page, 'max-error').waitFor({ timeout: RUN_WAIT_MS });
  const results = await byTestId(page, 'run-results').textContent();
  assert.match(results, /against the built-in Conv2DBackpropFilter/);
  const maxError = Number(await inResults(page, 'max-error').textContent());
  assert.ok(maxError < 1e-3, `max error ${maxError}`);
  expectNoConsoleErrors(t);
}
stridedConvWeightVjpComparesWithBuiltin.timeout = 180_000;

export async function loadedEinsumTypesets(t) {
  const page = await openApp(t);
  await fillTestId(page, 'einsum-input', 'ab,bc->ac');
  await fillTestId(page, 'shapes-input', '2x3; 3x4');
  await clickTestId(page, 'load-einsum');
  await waitForText(page, 'einsum', 'a b, b c -> a c');
  const formula = await waitForTestId(page, 'formula');
  await formula.locator('.katex').first().waitFor();
  assert.equal(await formula.locator('.katex-error').count(), 0);
  assert.match(await formula.getAttribute('data-tex'), /\\mathsf\{T\}_\{1\}/);
  assert.doesNotMatch(await formula.textContent(), /Double subscript/);
  expectNoConsoleErrors(t);
}

export async function brokenRuleGetsACross(t) {
  const page = await openApp(t);
  await page.evaluate(() => {
    window.__einsketchTest = { breakRule: 'dense_pattern' };
  });
  await byTestId(page, 'preset-select').selectOption('dense_patchify');
  await clickTestId(page, 'simplify-all');
  await waitForText(page, 'step-log', /dense_pattern/);
  const bad = await waitForTestId(page, 'step-check-1');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="step-check-1"]')?.dataset.status !== undefined,
  );
  assert.equal(await bad.getAttribute('data-status'), 'changed');
  assert.match(await bad.textContent(), /^✗ \d/);
  // The rule after it keeps the (broken) value: a ✓ there.
  assert.equal(await byTestId(page, 'step-check-2').getAttribute('data-status'), 'ok');
  expectNoConsoleErrors(t);
}
