/* global document, getComputedStyle, MutationObserver -- used inside page.evaluate, which runs in the browser */
// Notebook cells (issues 12 and 13): a chart cell added, plotted from a run of several
// seeded draws (mean with its spread), edited with refused input explained, and undone; a
// diagram cell's derivation stepped and played with the editor's animation, and still
// under prefers-reduced-motion.
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  waitForDiagram,
  waitForTestId,
  WAIT_MS,
} from './helpers.mjs';

/** A run on SwiftShader WebGPU: three draws of a small preset. */
const RUN_MS = 180_000;

const cellsOf = (page) =>
  page
    .locator('[data-testid="cell"]')
    .evaluateAll((cells) => cells.map((c) => `${c.dataset.kind}:${c.dataset.cellId}`));

const cell = (page, id) => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);

async function setField(scope, testId, value) {
  const input = scope.locator(`[data-testid="${testId}"]`);
  await input.fill(value);
  await input.press('Enter');
  assert.equal(await input.inputValue(), value);
}

export async function chartCellAddPlotUndo(t) {
  const page = await openApp(t, '#/notebook');
  await waitForTestId(page, 'notebook-empty');
  // No run cell yet: nothing to plot.
  assert.ok(await byTestId(page, 'add-chart').isDisabled());
  await byTestId(page, 'add-diagram').selectOption('conv_weight_vjp');
  await clickTestId(page, 'add-run');
  const run = cell(page, 'run-1');
  await setField(run, 'run-repeats', '1');
  await setField(run, 'run-warmup', '0');
  await setField(run, 'run-draws', '3');
  await run.locator('[data-testid="run"]').click();
  await run.locator('[data-testid="time-tn"]').waitFor({ timeout: RUN_MS });
  assert.match(await run.locator('[data-testid="run-result"]').textContent(), /mean of 3 draws/);

  await clickTestId(page, 'add-chart');
  assert.deepEqual(await cellsOf(page), ['diagram:diagram-1', 'run:run-1', 'chart:chart-1']);
  const chart = cell(page, 'chart-1');
  // One point: the mean time of the three draws, with its band and ± one sd bar, and the
  // chart says what they are.
  await chart.locator('[data-testid="chart-point"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await chart.locator('[data-testid="chart-point"]').count(), 1);
  assert.equal(await chart.locator('svg circle').count(), 1);
  assert.equal(await chart.locator('[data-testid="chart-band"]').count(), 1);
  assert.equal(await chart.locator('[data-testid="chart-bar"]').count(), 1);
  assert.match(
    await chart.locator('[data-testid="chart-spread"]').textContent(),
    /mean of 3 seeded draws.*smallest to the largest.*± one standard deviation/,
  );
  const row = await chart.locator('[data-testid="chart-point"] td').allTextContents();
  assert.equal(row[1], 'run-1');
  assert.equal(row.at(-1), '3');

  // Edit: what is on the y axis; refused input says why and changes nothing.
  await chart.locator('[data-testid="chart-edit"]').click();
  const y = chart.locator('[data-testid="chart-y"]');
  assert.equal(await y.inputValue(), 'timeTnMs');
  await y.selectOption('maxError');
  assert.equal(await y.inputValue(), 'maxError');
  const label = chart.locator('[data-testid="chart-series-label"]');
  await label.fill('  ');
  await label.press('Enter');
  assert.match(
    await chart.locator('[data-testid="chart-problem"]').first().textContent(),
    /series 1 needs a label/,
  );
  await label.press('Escape');
  await chart
    .locator('[data-testid="chart-run"][data-run="run-1"]')
    .uncheck()
    .catch(() => {});
  assert.ok(await chart.locator('[data-testid="chart-run"][data-run="run-1"]').isChecked());
  assert.match(
    await chart.locator('[data-testid="chart-problem"]').last().textContent(),
    /plots no run cell/,
  );
  await label.fill('weight VJP');
  await label.press('Enter');
  assert.match(await chart.locator('.nb-chart-key').textContent(), /weight VJP/);

  // Undo takes the edits back one by one, then the chart.
  await clickTestId(page, 'nb-undo');
  assert.match(await chart.locator('.nb-chart-key').textContent(), /series 1/);
  await clickTestId(page, 'nb-undo');
  assert.equal(await chart.locator('[data-testid="chart-y"]').inputValue(), 'timeTnMs');
  await clickTestId(page, 'nb-undo');
  assert.deepEqual(await cellsOf(page), ['diagram:diagram-1', 'run:run-1']);
  await clickTestId(page, 'nb-redo');
  assert.deepEqual(await cellsOf(page), ['diagram:diagram-1', 'run:run-1', 'chart:chart-1']);
  expectNoConsoleErrors(t);
}
chartCellAddPlotUndo.timeout = 300_000;

/**
 * Records, in the page, whether a diagram was animated (a canvas marked as moving, a node
 * part way through fading) and the places one node took while it moved.
 */
async function watchMotion(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.__motion = { moving: false, fading: false, places: [] };
    w.__motionObserver?.disconnect();
    w.__motionObserver = new MutationObserver(() => {
      if (document.querySelector('[data-diagram-moving]')) w.__motion.moving = true;
      for (const n of document.querySelectorAll('.react-flow__node')) {
        const o = Number(n.style.opacity || 1);
        if (o > 0 && o < 1) w.__motion.fading = true;
      }
      const x = document.querySelector('[data-diagram-moving] .react-flow__node[data-id="t:x"]');
      if (x) w.__motion.places.push(x.style.transform);
    });
    w.__motionObserver.observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'data-diagram-moving'],
    });
  });
}

const motionSeen = (page) => page.evaluate(() => /** @type {any} */ (globalThis).__motion);

const nodeIds = (scope) =>
  scope
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')).sort());

export async function notebookCellAnimatesAStep(t) {
  const page = await openApp(t, '#/tutorial/differentiation');
  const diagram = cell(page, 'vjp-w');
  await diagram.scrollIntoViewIfNeeded();
  await diagram.locator('.react-flow__node').first().waitFor({ timeout: WAIT_MS });
  await waitForDiagram(page);
  const caption = diagram.locator('[data-testid="derivation-caption"]');
  assert.match(await caption.textContent(), /^1 step; showing the result/);
  const after = await nodeIds(diagram);
  assert.ok(after.includes('t:v') && !after.includes('t:weight'), after.join());

  // One step back: the VJP's vector fades out, the weight fades in, x glides.
  await watchMotion(page);
  await diagram.locator('[data-testid="derivation-back"]').click();
  await diagram.locator('[data-diagram-moving]').waitFor({ timeout: WAIT_MS });
  assert.match(await caption.textContent(), /^1 of 2: the start/);
  await waitForDiagram(page);
  const stepped = await motionSeen(page);
  assert.ok(stepped.moving, 'the step was not animated');
  assert.ok(stepped.fading, 'nothing faded during the step');
  assert.ok(
    new Set(stepped.places).size > 2,
    `x did not glide: ${JSON.stringify(stepped.places.slice(0, 5))}`,
  );
  const before = await nodeIds(diagram);
  assert.ok(before.includes('t:weight') && !before.includes('t:v'), before.join());

  // Forward again, then Play: the start, then the result, each animated.
  await diagram.locator('[data-testid="derivation-forward"]').click();
  await waitForDiagram(page);
  assert.match(await caption.textContent(), /showing the result/);
  await watchMotion(page);
  await diagram.locator('[data-testid="derivation-play"]').click();
  assert.match(await caption.textContent(), /^1 of 2: the start/);
  await page.waitForFunction(
    () =>
      /showing the result/.test(
        document.querySelector('[data-cell-id="vjp-w"] [data-testid="derivation-caption"]')
          ?.textContent ?? '',
      ),
    null,
    { timeout: WAIT_MS },
  );
  await waitForDiagram(page);
  const played = await motionSeen(page);
  assert.ok(played.moving && played.fading, 'the replay was not animated');
  assert.deepEqual(await nodeIds(diagram), after, 'the replay did not end on the result');

  // Reduced motion: the frames change at once, nothing moves or fades.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await watchMotion(page);
  await diagram.locator('[data-testid="derivation-back"]').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-cell-id="vjp-w"] .react-flow__node[data-id="t:weight"]') !==
      null,
    null,
    { timeout: WAIT_MS },
  );
  await waitForDiagram(page);
  await page.waitForTimeout(800);
  const reduced = await motionSeen(page);
  assert.deepEqual(
    { moving: reduced.moving, fading: reduced.fading },
    { moving: false, fading: false },
    'the step moved under reduced motion',
  );
  assert.match(await caption.textContent(), /^1 of 2: the start/);
  // The opacity of every node is whole: nothing is left half faded.
  const opacities = await diagram
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((n) => getComputedStyle(n).opacity));
  assert.ok(
    opacities.every((o) => o === '1'),
    opacities.join(),
  );
  expectNoConsoleErrors(t);
}
notebookCellAnimatesAStep.timeout = 120_000;
