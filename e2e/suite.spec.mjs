// Registers every exported async function of e2e/*.e2e.mjs as a @playwright/test test,
// named "file › function". Each gets the context object the test modules are written
// against (see e2e/helpers.mjs): the browser, a fresh context, the app's URL, the console
// errors of that context and a way to open pages. The app (dist/) is served once per worker.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test as base } from '@playwright/test';
import { serveStatic } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

const test = base.extend({
  baseUrl: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      if (!existsSync(join(dist, 'index.html')))
        throw new Error('dist/index.html is missing: run `npm run build` first');
      const server = await serveStatic(dist);
      await use(server.baseUrl);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

const files = readdirSync(here)
  .filter((f) => f.endsWith('.e2e.mjs'))
  .sort();
for (const file of files) {
  const mod = await import(pathToFileURL(join(here, file)).href);
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    test(`${file} › ${name}`, async ({ browser, context, baseUrl }, testInfo) => {
      if (fn.timeout) test.setTimeout(fn.timeout);
      const consoleErrors = [];
      context.on('console', (msg) => {
        // React Flow reports edges it cannot draw (a handle id missing on a node) as warnings.
        const reactFlowWarning = msg.type() === 'warning' && msg.text().includes('[React Flow]');
        if (msg.type() === 'error' || reactFlowWarning) {
          const loc = msg.location();
          consoleErrors.push(`${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
        }
      });
      context.on('weberror', (err) => consoleErrors.push(`uncaught: ${err.error().message}`));
      try {
        await fn({
          browser,
          context,
          baseUrl,
          consoleErrors,
          artifactsDir: testInfo.outputDir,
          newPage: () => context.newPage(),
        });
      } catch (err) {
        if (consoleErrors.length)
          await testInfo.attach('console errors', { body: consoleErrors.join('\n') });
        throw err;
      }
    });
  }
}
