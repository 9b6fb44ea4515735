// The app shell loads, picks the WebGPU backend, and logs no console errors.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert,
  byTestId,
  expectNoConsoleErrors,
  openApp,
  waitForDiagram,
  waitForText,
} from './helpers.mjs';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');

export async function loadsWithWebGPU(t) {
  const page = await openApp(t);
  assert.equal((await page.locator('h1').textContent())?.trim(), 'einsketch');
  await waitForText(page, 'backend', 'webgpu');
  assert.equal(await byTestId(page, 'backend-reason').count(), 0, 'no fallback reason expected');
  expectNoConsoleErrors(t);
  mkdirSync(docs, { recursive: true });
  // The README's picture shows the diagram laid out, not the canvas before its first layout.
  await page
    .locator('[data-testid="canvas"] [data-testid="tensor-x"]')
    .first()
    .waitFor({ state: 'visible' });
  await waitForDiagram(page);
  await page.screenshot({ path: join(docs, 'screenshot.png') });
}
