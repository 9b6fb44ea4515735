// Offline (issue 14): after one visit the installed service worker serves the whole app, so
// a tutorial opens and its run cell runs with no network. The test serves dist/ from a server
// of its own and shuts that server down after the first visit, so nothing can come from the
// network afterwards (the browser is set offline as well); a file missing from the precache
// shows up as a failed load or a console error.
import { join } from 'node:path';
import { assert, byTestId, expectNoConsoleErrors, waitForTestId, WAIT_MS } from './helpers.mjs';
import { serveStatic } from './server.mjs';

const RUN_MS = 150_000;
const dist = join(import.meta.dirname, '..', 'dist');

/** True once a service worker controls the page and has finished precaching (activated). */
async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (registration.active?.state !== 'activated') {
      await new Promise((ok) => {
        registration.active.addEventListener('statechange', (e) => {
          if (e.target.state === 'activated') ok();
        });
      });
    }
  });
  // clientsClaim in the worker makes it control the page that registered it.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
    timeout: WAIT_MS,
  });
}

/**
 * A context of our own: the suite's blocks service workers (playwright.config.ts). Console errors
 * are collected the way the runner does it, so expectNoConsoleErrors works on it.
 */
async function contextWithServiceWorkers(t) {
  const context = await t.browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'allow',
  });
  const consoleErrors = [];
  context.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  context.on('weberror', (err) => consoleErrors.push(`uncaught: ${err.error().message}`));
  return { context, consoleErrors };
}

export async function tutorialRunsOffline(t) {
  const own = await contextWithServiceWorkers(t);
  try {
    await runOffline(own);
  } finally {
    await own.context.close();
  }
}
tutorialRunsOffline.timeout = 240_000;

async function runOffline(t) {
  const server = await serveStatic(dist);
  let page;
  try {
    page = await t.context.newPage();
    await page.goto(server.baseUrl, { waitUntil: 'load' });
    await page.locator('#root > *').first().waitFor({ timeout: WAIT_MS });
    // Installable: the manifest is linked and names its icons.
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(manifestHref, page.url()).href;
    const manifest = await (await page.request.get(manifestUrl)).json();
    assert.equal(manifest.short_name, 'einsketch');
    assert.ok(manifest.icons.some((icon) => icon.sizes === '512x512'));
    for (const icon of manifest.icons) {
      const response = await page.request.get(new URL(icon.src, manifestUrl).href);
      assert.equal(response.headers()['content-type'], icon.type, icon.src);
    }
    await waitForServiceWorker(page);
  } finally {
    await server.close();
  }
  await t.context.setOffline(true);

  await page.reload({ waitUntil: 'load' });
  await page.locator('#root > *').first().waitFor({ timeout: WAIT_MS });
  await page.goto(`${server.baseUrl}#/tutorial/convolution-as-tensor-network`);
  await waitForTestId(page, 'notebook');
  assert.ok((await page.locator('[data-testid="formula"] .katex').count()) > 0);

  // One run cell, 1 repeat and no warm-up, on whatever backend the machine offers.
  const cell = page.locator('[data-testid="cell"][data-cell-id="run-3"]');
  await cell.scrollIntoViewIfNeeded();
  for (const [field, value] of [
    ['run-repeats', '1'],
    ['run-warmup', '0'],
  ]) {
    const input = cell.locator(`[data-testid="${field}"]`);
    await input.fill(value);
    await input.press('Enter');
  }
  await cell.locator('[data-testid="run"]').click();
  await cell.locator('[data-testid="time-tn"]').waitFor({ timeout: RUN_MS });
  const failed = cell.locator('[data-testid="error"]');
  if (await failed.count()) assert.fail(`run failed offline: ${await failed.textContent()}`);
  const read = async (id) =>
    ((await cell.locator(`[data-testid="${id}"]`).textContent()) ?? '').trim();
  assert.match(await read('run-backend'), /^(webgpu|wasm)$/);
  assert.ok(Number(await read('max-error')) < 1e-3, await read('max-error'));
  assert.equal(await byTestId(page, 'error').count(), 0);
  expectNoConsoleErrors(t);
}
