/* global document -- used inside page.waitForFunction, which runs in the browser */
// Helpers for e2e tests (*.e2e.mjs). Each test file exports async functions; e2e/suite.spec.mjs
// registers each as a @playwright/test test and calls it with a context object:
//   { browser, context, baseUrl, consoleErrors, artifactsDir, newPage }
// where `context` is a fresh BrowserContext for that test (closed afterwards), `consoleErrors`
// collects console.error messages and uncaught page errors from every page of that context, and
// `newPage()` opens a page in it. Use the data-testid hooks from docs/design.md §4.5.
import assert from 'node:assert/strict';

export { assert };

/** Default wait for UI state (SwiftShader WebGPU is slow on small CI machines). */
export const WAIT_MS = 30_000;

/** Opens the app at `route` (e.g. '#/tutorial/conv2d') and waits for React to render. */
export async function openApp(t, route = '') {
  const page = await t.newPage();
  await page.goto(t.baseUrl + route, { waitUntil: 'load' });
  await page.locator('#root > *').first().waitFor({ timeout: WAIT_MS });
  return page;
}

/**
 * The run service's evaluation workers (built as worker-<hash>.js), not the diagram layout's
 * ELK worker nor the derivation checks' checkWorker-<hash>.js.
 */
export function evaluationWorkers(page) {
  return page.workers().filter((w) => /\/worker[-.][^/]*$/.test(new URL(w.url()).pathname));
}

/** Locator for a data-testid hook. */
export function byTestId(page, id) {
  return page.locator(`[data-testid="${id}"]`);
}

/** Waits until the element `id` exists and is visible; returns its locator. */
export async function waitForTestId(page, id, timeout = WAIT_MS) {
  const loc = byTestId(page, id);
  await loc.first().waitFor({ state: 'visible', timeout });
  return loc.first();
}

/** Text content of element `id` (trimmed), after waiting for it. */
export async function textOf(page, id, timeout = WAIT_MS) {
  const loc = await waitForTestId(page, id, timeout);
  return ((await loc.textContent()) ?? '').trim();
}

/**
 * Waits until the text of `id` matches `expected` (string: exact after trim; RegExp: test).
 * Fails with the last seen text.
 */
export async function waitForText(page, id, expected, timeout = WAIT_MS) {
  const matches = (s) => (expected instanceof RegExp ? expected.test(s) : s === expected);
  const deadline = Date.now() + timeout;
  let last = '(element not found)';
  while (Date.now() < deadline) {
    const loc = byTestId(page, id).first();
    if ((await loc.count()) > 0) {
      last = ((await loc.textContent()) ?? '').trim();
      if (matches(last)) return last;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`data-testid="${id}": expected ${expected}, last saw ${JSON.stringify(last)}`);
}

/**
 * Waits until every diagram on the page has its current layout (layout runs in a worker, so
 * the canvas catches up with the einsum text a moment later) and no derivation step is still
 * being animated.
 */
export async function waitForDiagram(page, timeout = WAIT_MS) {
  // Polled on a timer, not on animation frames: with tracing on, a check run in every frame
  // was seen to keep a step's transition (itself frame-driven) from ever finishing.
  await page.waitForFunction(
    () => !document.querySelector('[data-layout-pending], [data-diagram-moving]'),
    null,
    { timeout, polling: 100 },
  );
}

/** Clicks element `id` after waiting for it. */
export async function clickTestId(page, id, timeout = WAIT_MS) {
  const loc = await waitForTestId(page, id, timeout);
  await loc.click({ timeout });
}

/** Fills the input/textarea `id` with `value`. */
export async function fillTestId(page, id, value, timeout = WAIT_MS) {
  const loc = await waitForTestId(page, id, timeout);
  await loc.fill(value, { timeout });
}

/** Asserts that no console errors / page errors were seen, except those matching `allow`. */
export function expectNoConsoleErrors(t, allow = []) {
  const bad = t.consoleErrors.filter((msg) => !allow.some((re) => re.test(msg)));
  assert.deepEqual(bad, [], `console errors:\n  ${bad.join('\n  ')}`);
}
