#!/usr/bin/env node
// e2e runner (`npm run test:e2e`): serves dist/ on a free loopback port, launches the system
// Chromium headless with WebGPU (SwiftShader on machines without a GPU), and runs every
// exported async function of e2e/*.e2e.mjs as a test (see e2e/helpers.mjs for the context).
//
//   node e2e/run.mjs [FILTER...]    run tests whose "file › name" contains any FILTER
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), E2E_TEST_TIMEOUT_MS (per test,
// default 120000; a test function may set its own `.timeout`), E2E_TOTAL_TIMEOUT_MS (whole
// run, default 900000). On failure a screenshot of each open page goes to test-results/.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const dist = join(repo, 'dist');
const artifactsDir = join(repo, 'test-results');
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const testTimeout = Number(process.env.E2E_TEST_TIMEOUT_MS || 120_000);
const totalTimeout = Number(process.env.E2E_TOTAL_TIMEOUT_MS || 900_000);

// --enable-unsafe-webgpu gives WebGPU (a SwiftShader adapter without a GPU); --no-sandbox is
// needed as root / in containers; the rest keep Chromium from reaching the network.
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Leak checks (soak.e2e.mjs): gc() before each sample, and unrounded heap sizes.
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];

let browser;
let server;
let passed = 0;
let failed = 0;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function cleanup() {
  const b = browser;
  const s = server;
  browser = server = undefined;
  await Promise.allSettled([
    b && withTimeout(b.close(), 10_000, 'closing the browser'),
    s && withTimeout(s.close(), 5_000, 'closing the server'),
  ]);
}

// Hard stop: if anything hangs, exit anyway (playwright kills the browser it launched on exit).
const watchdog = setTimeout(() => {
  console.error(`e2e: whole run exceeded ${totalTimeout} ms, aborting`);
  console.log(`e2e: ${passed} passed, ${failed + 1} failed`);
  process.exit(2);
}, totalTimeout);
watchdog.unref();

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`e2e: ${sig}, cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

function slug(s) {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

async function collectTests(filters) {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.e2e.mjs'))
    .sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(here, file)).href);
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== 'function') continue;
      const id = `${file} › ${name}`;
      if (filters.length && !filters.some((f) => id.includes(f))) continue;
      tests.push({ id, fn });
    }
  }
  return tests;
}

async function runOne(test, baseUrl) {
  // Service workers are blocked: each fresh context would otherwise precache the whole app
  // (several MB) while the test runs. e2e/offline.e2e.mjs opens its own context with them.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
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
  const t = {
    browser,
    context,
    baseUrl,
    consoleErrors,
    artifactsDir,
    newPage: () => context.newPage(),
  };
  const t0 = performance.now();
  try {
    await withTimeout(test.fn(t), test.fn.timeout ?? testTimeout, test.id);
    passed++;
    console.log(`ok   ${test.id} (${Math.round(performance.now() - t0)} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${test.id} (${Math.round(performance.now() - t0)} ms)`);
    console.log(`     ${String(err?.stack ?? err).replaceAll('\n', '\n     ')}`);
    if (consoleErrors.length)
      console.log(`     console errors:\n       ${consoleErrors.join('\n       ')}`);
    await screenshotPages(context, test.id);
  } finally {
    await withTimeout(context.close(), 10_000, 'closing the context').catch(() => {});
  }
}

async function screenshotPages(context, id) {
  mkdirSync(artifactsDir, { recursive: true });
  for (const [i, page] of context.pages().entries()) {
    const path = join(artifactsDir, `${slug(id)}-${i}.png`);
    try {
      await page.screenshot({ path, timeout: 5_000 });
      console.log(`     screenshot: ${relative(repo, path)}`);
    } catch {
      // the page may be gone or hung; nothing more to save
    }
  }
}

async function main() {
  const tests = await collectTests(process.argv.slice(2));
  if (tests.length === 0)
    throw new Error('no e2e tests found (e2e/*.e2e.mjs, or filter too narrow)');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('dist/index.html is missing: run `npm run build` first');
  }
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  server = await serveStatic(dist);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  console.log(`e2e: ${tests.length} test(s), chromium ${browser.version()}, ${server.baseUrl}`);
  for (const test of tests) await runOne(test, server.baseUrl);
}

let code = 0;
try {
  await main();
} catch (err) {
  console.error(`e2e: ${err?.stack ?? err}`);
  failed++;
} finally {
  await cleanup();
}
if (failed > 0) code = 1;
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(code);
