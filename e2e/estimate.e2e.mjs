// Runs that would take long (issue 15): the run panel estimates a run before it starts and
// asks above 10 s, shows the time left while it runs, a cancel leaves the page responsive,
// and the editor warns about a network beyond the limits before Run is pressed.
/* global requestAnimationFrame, window */
import {
  assert,
  byTestId,
  evaluationWorkers,
  clickTestId,
  expectNoConsoleErrors,
  fillTestId,
  openApp,
  textOf,
  waitForTestId,
  waitForText,
} from './helpers.mjs';

const RUN_WAIT_MS = 90_000;

export async function longRunAsksFirstAndCancels(t) {
  const page = await openApp(t);
  await waitForText(page, 'einsum', /->/);
  // A first visit has no measured rate: the estimate says it assumes one.
  await fillTestId(page, 'run-repeats', '100000');
  const estimate = await waitForText(page, 'run-estimate', /Run will ask first/);
  console.log(`     before the run: ${estimate}`);
  assert.match(estimate, /assumed: no earlier run on this device/);

  // Asked, not started: no worker, no progress.
  await clickTestId(page, 'run');
  await waitForTestId(page, 'run-confirm');
  assert.match(await textOf(page, 'run-confirm-estimate'), /min|h/);
  assert.equal(evaluationWorkers(page).length, 0, 'nothing may start before the user says so');
  assert.equal(await byTestId(page, 'run-progress').count(), 0);
  await clickTestId(page, 'run-confirm-no');
  assert.equal(await byTestId(page, 'run-confirm').count(), 0);
  assert.equal(evaluationWorkers(page).length, 0);

  // Said yes: it runs with the time left shown; a cancel stops it and the page stays live.
  await clickTestId(page, 'run');
  await clickTestId(page, 'run-confirm-yes');
  await waitForText(page, 'run-stage', /^tn: /, RUN_WAIT_MS);
  const left = await waitForText(page, 'run-remaining', /^about .* left$/);
  console.log(`     while it runs: ${left}`);
  await page.evaluate(() => {
    const w = window;
    w.__frames = { longest: 0, last: performance.now() };
    const tick = (now) => {
      w.__frames.longest = Math.max(w.__frames.longest, now - w.__frames.last);
      w.__frames.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await clickTestId(page, 'run-cancel');
  const failure = await waitForTestId(page, 'run-failure', RUN_WAIT_MS);
  assert.equal(await failure.getAttribute('data-kind'), 'cancelled');
  // Responsive: an edit right after the cancel is taken and the diagram rebuilt.
  await fillTestId(page, 'field-inChannels', '5');
  await waitForText(page, 'einsum', /->/, 5_000);
  assert.equal(await byTestId(page, 'field-inChannels').inputValue(), '5');
  const frames = await page.evaluate(() => window.__frames.longest);
  assert.ok(frames < 1000, `the page froze for ${frames} ms around the cancel`);
  expectNoConsoleErrors(t);
}
longRunAsksFirstAndCancels.timeout = 180_000;

export async function editorWarnsBeyondLimits(t) {
  const page = await openApp(t);
  await waitForText(page, 'einsum', /->/);
  assert.equal(await byTestId(page, 'run-warning').count(), 0);
  await fillTestId(page, 'field-input', '100000, 100000');
  // Named while editing, before Run is pressed.
  const warning = await waitForText(page, 'run-warning', /cannot run: .*limit/);
  console.log(`     ${warning}`);
  assert.equal(evaluationWorkers(page).length, 0);
  expectNoConsoleErrors(t);
}
