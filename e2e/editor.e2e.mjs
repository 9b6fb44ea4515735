// The visual editor (issue 5): presets, differentiation, simplification, undo, autosave,
// hyper-parameter errors, drawing, the plan panel, and a 60-tensor network. Screenshots of
// the real app go to docs/ for the README.
/* global document, window, requestAnimationFrame, cancelAnimationFrame -- used inside page.evaluate, which runs in the browser */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  textOf,
  waitForTestId,
  waitForDiagram,
  waitForText,
} from './helpers.mjs';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
const CONV = 'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2';

/** Saves a screenshot of the whole app to docs/, at a size where the diagram reads well. */
async function screenshot(page, name, { keepHint = false } = {}) {
  mkdirSync(docs, { recursive: true });
  if (!keepHint && (await byTestId(page, 'hint').count()) > 0) {
    await page.locator('[data-testid="hint"] button').click();
  }
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 900 });
  await waitForDiagram(page);
  await clickTestId(page, 'fit-view');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(docs, name) });
  await page.setViewportSize(viewport);
}

async function pickPreset(page, id) {
  await byTestId(page, 'preset-select').selectOption(id);
}

/** Tensor node labels on the canvas, by tensor id. */
async function tensorLabels(page) {
  await waitForDiagram(page);
  return page
    .locator('[data-testid="canvas"] [data-testid^="tensor-"]')
    .evaluateAll((nodes) =>
      Object.fromEntries(
        nodes.map((n) => [
          n.dataset.testid.slice('tensor-'.length),
          n.querySelector('.tn-label')?.textContent,
        ]),
      ),
    );
}

export async function convForwardPreset(t) {
  const page = await openApp(t);
  await waitForTestId(page, 'hint');
  await pickPreset(page, 'unfold');
  await waitForText(page, 'einsum', /-> n c k1 k2 o1 o2$/);
  await pickPreset(page, 'conv_forward');
  await waitForText(page, 'einsum', CONV);
  assert.deepEqual(await tensorLabels(page), { x: 'x', Pi1: 'Π₁', Pi2: 'Π₂', weight: 'W' });
  assert.equal(await textOf(page, 'einsum-letters'), 'ngabc,deb,fhc,giadf->ngieh');
  // The formula is typeset by KaTeX, with the sum over the summed indices as in the paper.
  const formula = await waitForTestId(page, 'formula');
  assert.equal(await formula.locator('.katex').count(), 1);
  assert.equal(
    await formula.getAttribute('data-tex'),
    '[\\mathsf{Y}]_{n,g,c_{\\text{out}},o_{1},o_{2}} = \\sum_{c_{\\text{in}},i_{1},i_{2},k_{1},k_{2}} ' +
      '[\\mathsf{X}]_{n,g,c_{\\text{in}},i_{1},i_{2}} \\, \\Pi^{(1)}_{k_{1},o_{1},i_{1}} \\, \\Pi^{(2)}_{k_{2},o_{2},i_{2}} \\, ' +
      '[\\mathsf{W}]_{g,c_{\\text{out}},c_{\\text{in}},k_{1},k_{2}}',
  );
  // g is on x, W and the output: a hyperedge hub; the output node ends the open legs.
  await waitForTestId(page, 'hub-g');
  await waitForTestId(page, 'output-node');
  assert.match(await textOf(page, 'plan-summary'), /^optimal: /);
  await screenshot(page, 'editor-default.png', { keepHint: true });
  expectNoConsoleErrors(t);
}

export async function weightVjp(t) {
  const page = await openApp(t);
  await pickPreset(page, 'conv_weight_vjp');
  const library = await textOf(page, 'einsum-letters');
  await pickPreset(page, 'conv_forward');
  await waitForText(page, 'einsum', CONV);
  await clickTestId(page, 'tensor-weight');
  await clickTestId(page, 'action-vjp');
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  assert.equal(await textOf(page, 'einsum-letters'), library);
  assert.equal(library, 'ngabc,deb,fhc,ngieh->giadf');
  assert.equal((await tensorLabels(page)).v, 'V');
  await screenshot(page, 'editor-vjp.png');

  // Tensor dropout on the batch index n, now summed: half of n is kept and the result rescaled.
  await clickTestId(page, 'tensor-x');
  await clickTestId(page, 'select-index-n');
  await waitForText(page, 'inspector', /on x \(leg 1\)/);
  await byTestId(page, 'dropout-percent').fill('50');
  await clickTestId(page, 'action-dropout');
  await waitForText(
    page,
    'einsum',
    /^n g c_in i1 i2, k1 o1 i1, k2 o2 i2, n g c_out o1 o2, {2}-> g c_out c_in k1 k2$/,
  );
  assert.ok(
    Object.values(await tensorLabels(page)).includes('8/4'),
    'the rescaling factor joins the network',
  );
  await waitForDiagram(page);
  assert.equal((await page.locator('.tn-node.is-changed').count()) >= 2, true);
  expectNoConsoleErrors(t);
}

export async function simplifyDenseAndUndo(t) {
  const page = await openApp(t);
  await pickPreset(page, 'dense_patchify');
  await waitForTestId(page, 'tensor-Pi1');
  const before = await textOf(page, 'einsum');
  await clickTestId(page, 'simplify-all');
  await waitForText(page, 'step-log', /dense_pattern/);
  assert.match(await textOf(page, 'step-1'), /^dense_pattern/);
  await waitForText(page, 'einsum', 'n c_in o1 k1 o2 k2, c_out c_in k1 k2 -> n c_out o1 o2');
  await waitForDiagram(page);
  assert.equal(await byTestId(page, 'tensor-Pi1').count(), 0);
  assert.equal(await byTestId(page, 'tensor-Pi2').count(), 0);
  assert.deepEqual(Object.values(await tensorLabels(page)).sort(), ['W', 'x']);
  await screenshot(page, 'editor-simplified.png');

  // Stepping back in the log shows the network after that step, its changes highlighted.
  await clickTestId(page, 'step-1');
  await waitForTestId(page, 'tensor-Pi2');
  await waitForDiagram(page);
  assert.equal(await byTestId(page, 'tensor-Pi1').count(), 0);
  assert.ok(
    (await page.locator('.tn-node.is-changed').count()) > 0,
    'the step highlights what it changed',
  );

  // Undo (keyboard) goes back to the end of the log, then to before simplifying; redo forward.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await waitForText(page, 'einsum', 'n c_in o1 k1 o2 k2, c_out c_in k1 k2 -> n c_out o1 o2');
  await page.keyboard.press('Control+z');
  await waitForText(page, 'einsum', before);
  await waitForTestId(page, 'tensor-Pi1');
  await page.keyboard.press('Control+Shift+z');
  await waitForText(page, 'einsum', 'n c_in o1 k1 o2 k2, c_out c_in k1 k2 -> n c_out o1 o2');
  await clickTestId(page, 'undo');
  await waitForText(page, 'einsum', before);
  expectNoConsoleErrors(t);
}

/** Saves and links of the formats einsketch wrote before (frozen samples). */
const FORMATS = JSON.parse(
  readFileSync(new URL('../test/fixtures/formats/editor-v1.json', import.meta.url), 'utf8'),
);

export async function reloadKeepsWork(t) {
  const page = await openApp(t);
  await waitForText(page, 'einsum', CONV);
  await clickTestId(page, 'tensor-weight');
  await clickTestId(page, 'action-vjp');
  const vjp = await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  await page.reload({ waitUntil: 'load' });
  await waitForText(page, 'einsum', vjp);
  assert.equal(await byTestId(page, 'hint').count(), 0, 'the first-visit hint is not shown again');
  // Undo history is per session, but the work itself survives; corrupt storage starts fresh.
  await page.evaluate(() =>
    localStorage.setItem('einsketch.editor.v1', '{"version":1,"doc":{"source":42}}'),
  );
  await page.reload({ waitUntil: 'load' });
  await waitForText(page, 'error', /^Saved work could not be restored \(doc\.source/);
  await waitForText(page, 'einsum', CONV);
  // A save in the first format (source + actions by tensor id) opens through the migration.
  const old = JSON.parse(FORMATS.samples[0].saved);
  old.doc.actions = old.doc.actions.filter((a) => a.kind === 'vjp');
  await page.evaluate(
    (text) => localStorage.setItem('einsketch.editor.v1', text),
    JSON.stringify(old),
  );
  await page.reload({ waitUntil: 'load' });
  await waitForText(page, 'einsum', vjp);
  expectNoConsoleErrors(t);
}

export async function invalidHyperParameterKeepsDiagram(t) {
  const page = await openApp(t);
  await waitForText(page, 'einsum', CONV);
  const fieldError = (name) =>
    page.locator(`.field:has([data-testid="field-${name}"]) [data-testid="error"]`);
  await byTestId(page, 'field-padding').fill('0');
  await byTestId(page, 'field-kernel').fill('40');
  await fieldError('kernel').waitFor();
  assert.match(
    await fieldError('kernel').textContent(),
    /^kernel larger than padded input in dimension 1: dilated kernel 40 > input 32 \+ padding 0$/,
  );
  assert.equal(await textOf(page, 'einsum'), CONV);
  // Π's hyper-parameters are in its hover text (the glyph itself stays compact).
  const piTitle = () => byTestId(page, 'tensor-Pi1').getAttribute('title');
  assert.match(await piTitle(), /K=3/);
  await byTestId(page, 'field-kernel').fill('5');
  await page.waitForFunction(
    () => /K=5/.test(document.querySelector('[data-testid="tensor-Pi1"]')?.title ?? ''),
    null,
    { timeout: 30_000 },
  );
  assert.equal(await fieldError('kernel').count(), 0);

  await byTestId(page, 'field-groups').fill('3');
  await fieldError('groups').waitFor();
  assert.match(await fieldError('groups').textContent(), /groups 3 does not divide/);
  assert.match(await piTitle(), /K=5/);
  await byTestId(page, 'field-groups').fill('4');
  await waitForText(page, 'result-shape', /^result shape \[8, 32, 28, 28\]/);
  assert.match(await piTitle(), /K=5/);
  expectNoConsoleErrors(t);
}

export async function drawConnectAndPlanByHand(t) {
  const page = await openApp(t);
  await byTestId(page, 'einsum-input').fill('a b, b c -> a c');
  await byTestId(page, 'shapes-input').fill('a=2 b=3 c=4');
  await clickTestId(page, 'load-einsum');
  await waitForText(page, 'einsum', 'a b, b c -> a c');
  await clickTestId(page, 'add-data');
  await waitForText(page, 'einsum', 'a b, b c, d e -> a c');
  await waitForDiagram(page);
  // Drag from T3's first leg to T1's first leg: both have size 2, so they become one index.
  await page.keyboard.press('Escape');
  await clickTestId(page, 'fit-view');
  await page.waitForTimeout(400);
  const from = page.locator('[data-testid="tensor-T3"] [data-handleid="leg-0"]');
  const to = page.locator('[data-testid="tensor-T1"] [data-handleid="leg-0"]');
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitForText(page, 'einsum', 'a b, b c, a e -> a c');

  // Rename a leg in the inspector; then contract by hand and compare with the planner.
  await clickTestId(page, 'tensor-T3');
  const legName = byTestId(page, 'leg-name-1');
  await legName.fill('c');
  await legName.press('Enter');
  await waitForText(page, 'error', /index 'c' has size 4 but leg 'e' has size 2/);
  await page.locator('.hand-plan summary').click();
  for (let k = 0; k < 2; k++) {
    await clickTestId(page, 'hand-operand-0');
    await clickTestId(page, 'hand-operand-1');
  }
  assert.match(await textOf(page, 'hand-cost'), /^your order: .* FLOPs = \d+\.\d\d× the planner's/);
  const ratio = Number((await textOf(page, 'hand-ratio')).replace('×', ''));
  assert.ok(ratio >= 1, `the planner's order is no worse than a hand-made one (ratio ${ratio})`);
  expectNoConsoleErrors(t);
}

/** A chain of 60 tensors with 60 open legs: build, then pan, zoom and click, timing each. */
export async function sixtyTensorsStayResponsive(t) {
  const page = await openApp(t);
  const n = 60;
  const ops = Array.from({ length: n }, (_, k) =>
    k === 0 ? 'b0 p0' : k === n - 1 ? `b${k - 1} p${k}` : `b${k - 1} p${k} b${k}`,
  );
  const equation = `${ops.join(', ')} -> ${Array.from({ length: n }, (_, k) => `p${k}`).join(' ')}`;
  const sizes = [
    ...Array.from({ length: n - 1 }, (_, k) => `b${k}=4`),
    ...Array.from({ length: n }, (_, k) => `p${k}=2`),
  ].join(' ');
  await byTestId(page, 'einsum-input').fill(equation);
  await byTestId(page, 'shapes-input').fill(sizes);

  const t0 = Date.now();
  await clickTestId(page, 'load-einsum');
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid^="tensor-T"]').length === count,
    n,
    { timeout: 30_000 },
  );
  const buildMs = Date.now() - t0;

  // Frame times while panning and zooming, sampled with requestAnimationFrame in the page.
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__frames.length < 100000) window.__raf = requestAnimationFrame(tick);
    };
    window.__raf = requestAnimationFrame(tick);
  });
  const pane = await page.locator('[data-testid="canvas"] .react-flow__pane').boundingBox();
  const cx = pane.x + pane.width / 2;
  const cy = pane.y + pane.height / 2;
  const t1 = Date.now();
  await page.mouse.move(cx, cy + pane.height / 3);
  await page.mouse.down();
  await page.mouse.move(cx - 250, cy + pane.height / 3 - 20, { steps: 25 });
  await page.mouse.up();
  for (let k = 0; k < 10; k++) {
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(30);
  }
  const panZoomMs = Date.now() - t1;
  const frames = await page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    return window.__frames.slice(1);
  });
  const sorted = [...frames].sort((x, y) => x - y);
  const medianFrame = sorted[Math.floor(sorted.length / 2)];
  const p95Frame = sorted[Math.floor(sorted.length * 0.95)];

  await clickTestId(page, 'fit-view');
  await page.waitForTimeout(400);
  const t2 = Date.now();
  await page.locator('[data-testid="tensor-T30"]').click();
  await waitForText(page, 'inspector', /T30/);
  const clickMs = Date.now() - t2;

  console.log(
    `     60 tensors: build+render ${buildMs} ms; pan+zoom ${panZoomMs} ms over ${frames.length} frames ` +
      `(median ${medianFrame.toFixed(1)} ms, p95 ${p95Frame.toFixed(1)} ms); click→inspector ${clickMs} ms`,
  );
  assert.ok(buildMs < 10_000, `building the diagram took ${buildMs} ms`);
  assert.ok(medianFrame < 100, `median frame ${medianFrame} ms while panning`);
  assert.ok(clickMs < 2_000, `selecting a tensor took ${clickMs} ms`);
  expectNoConsoleErrors(t);
}
sixtyTensorsStayResponsive.timeout = 180_000;
