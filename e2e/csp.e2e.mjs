/* global document, window -- used inside page.evaluate, which runs in the browser */
// The built app runs under its Content-Security-Policy: the app itself works (WebGPU, no
// console errors) while any injected inline script or javascript: URL is refused.
import { assert, expectNoConsoleErrors, openApp, waitForText } from './helpers.mjs';

export async function cspBlocksInjectedScript(t) {
  const page = await openApp(t);
  await waitForText(page, 'backend', 'webgpu');
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  assert.match(policy ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(e.violatedDirective),
    );
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.appendChild(s);
    const a = document.createElement('a');
    a.href = 'javascript:window.__injected = true';
    document.body.appendChild(a);
    a.click();
    await new Promise((r) => setTimeout(r, 200));
    return { injected: window.__injected === true, violations };
  });
  assert.equal(outcome.injected, false, 'an injected inline script ran');
  assert.ok(
    outcome.violations.some((d) => d.startsWith('script-src')),
    `no script-src violation: ${outcome.violations}`,
  );
  // The refusals above are reported on the console by Chromium; nothing else may be.
  expectNoConsoleErrors(t, [/Content Security Policy/]);
}
