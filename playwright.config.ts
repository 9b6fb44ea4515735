import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.mjs';

/**
 * Browser tests (`npm run test:e2e`, after `npm run build`): every exported async function
 * of e2e/*.e2e.mjs is one test (e2e/suite.spec.mjs registers them), run one at a time in
 * Debian's headless Chromium with WebGPU (SwiftShader where there is no GPU). No retries:
 * a flaky test is a bug to fix. A failed test keeps its trace and screenshots in
 * test-results/.
 */

const executablePath = CHROMIUM_PATH;
if (!existsSync(executablePath)) {
  throw new Error(
    `${executablePath} not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
  );
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: 'suite.spec.mjs',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: Number(process.env.E2E_TEST_TIMEOUT_MS || 120_000),
  globalTimeout: Number(process.env.E2E_TOTAL_TIMEOUT_MS || 1_500_000),
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    // Each fresh context would otherwise precache the whole app (several MB) while the test
    // runs; e2e/offline.e2e.mjs opens its own context with service workers.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    },
  },
});
