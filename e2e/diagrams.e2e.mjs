// The diagram style (issue 12): the README's pictures of the convolution, its weight VJP
// simplified, KFC and KFAC-reduce, and the frames of a simplification stepped through, each
// checked against the legibility targets of `npm run diagram-quality` as it is taken.
/* global document, MutationObserver -- used inside page.evaluate / waitForFunction, which run in the browser */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureDiagram } from '../scripts/diagram-metrics.mjs';
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  waitForDiagram,
  WAIT_MS,
  waitForText,
} from './helpers.mjs';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'diagrams');

async function openEditor(t) {
  const page = await openApp(t);
  await page.setViewportSize({ width: 1440, height: 900 });
  const hint = page.locator('[data-testid="hint"] button');
  if (await hint.count()) await hint.click();
  return page;
}

async function pickPreset(page, id) {
  await byTestId(page, 'preset-select').selectOption(id);
  await waitForDiagram(page);
}

/** Fits the view, checks the targets and saves the canvas as docs/diagrams/<name>.png. */
async function picture(page, name) {
  await waitForDiagram(page);
  await clickTestId(page, 'fit-view');
  await page.waitForTimeout(500);
  const m = await page.evaluate(measureDiagram, '[data-testid="canvas"]');
  assert.equal(m.nodeOverlaps, 0, `${name}: node overlaps`);
  assert.equal(m.edgesThroughTensor, 0, `${name}: edges through a tensor`);
  assert.equal(m.overlappingTexts, 0, `${name}: overlapping texts`);
  assert.ok(m.smallestTextPx >= 11, `${name}: text at ${m.smallestTextPx} px`);
  assert.ok(m.canvasUse.best >= 0.6, `${name}: uses ${m.canvasUse.best} of the canvas`);
  mkdirSync(docs, { recursive: true });
  await byTestId(page, 'canvas').screenshot({ path: join(docs, `${name}.png`) });
  return m;
}

export async function readmePictures(t) {
  const page = await openEditor(t);
  await pickPreset(page, 'unfold');
  await pickPreset(page, 'conv_forward');
  await picture(page, 'convolution');

  await byTestId(page, 'tensor-weight').click();
  await clickTestId(page, 'action-vjp');
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  await clickTestId(page, 'simplify-all');
  await waitForText(page, 'step-log', /\w/);
  await picture(page, 'weight-vjp-simplified');

  await pickPreset(page, 'kfc');
  await picture(page, 'kfc');
  await pickPreset(page, 'kfac_reduce');
  await picture(page, 'kfac-reduce');
  expectNoConsoleErrors(t);
}
readmePictures.timeout = 240_000;

/** Simplifying the ViT patchify one rule at a time: one picture per step of the log. */
export async function simplificationFrames(t) {
  const page = await openEditor(t);
  await pickPreset(page, 'dense_patchify');
  await picture(page, 'patchify-step-0');
  let step = 0;
  while (!(await byTestId(page, 'simplify-step').isDisabled())) {
    const before = await byTestId(page, 'einsum').textContent();
    await clickTestId(page, 'simplify-step');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="einsum"]')?.textContent !== text,
      before,
    );
    step++;
    await picture(page, `patchify-step-${step}`);
  }
  assert.ok(step >= 2, `only ${step} simplification steps`);
  expectNoConsoleErrors(t);
}
simplificationFrames.timeout = 240_000;

/**
 * Records, in the page, whether a derivation step was animated: a canvas marked as moving,
 * and a node part way through fading (opacity strictly between 0 and 1).
 */
async function watchMotion(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.__motion = { moving: false, fading: false };
    w.__motionObserver?.disconnect();
    w.__motionObserver = new MutationObserver(() => {
      if (document.querySelector('[data-diagram-moving]')) w.__motion.moving = true;
      for (const n of document.querySelectorAll('.react-flow__node')) {
        const o = Number(n.style.opacity || 1);
        if (o > 0 && o < 1) w.__motion.fading = true;
      }
    });
    w.__motionObserver.observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'data-diagram-moving'],
    });
  });
}

/** Records, in the page, each distinct text the replay caption shows, in order. */
async function watchCaptions(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.__captions = [];
    w.__captionObserver?.disconnect();
    w.__captionObserver = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="replay-caption"]')?.textContent?.trim();
      if (text && text !== w.__captions.at(-1)) w.__captions.push(text);
    });
    w.__captionObserver.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

const motionSeen = (page) => page.evaluate(() => /** @type {any} */ (globalThis).__motion);

/** What the canvas and the log show: einsum, current step, node ids and their places. */
async function editorState(page) {
  await waitForDiagram(page);
  return {
    einsum: await byTestId(page, 'einsum').textContent(),
    step: await page.locator('.step-log .is-current').textContent(),
    nodes: await page.evaluate(() =>
      [...document.querySelectorAll('.react-flow__node')]
        .map((n) => `${n.getAttribute('data-id')} ${n.style.transform}`)
        .sort(),
    ),
  };
}

/**
 * Derivations you can watch: a rewrite step and stepping back animate, the play control
 * replays the whole derivation and leaves the work as it was, frames of the replay go to
 * docs/diagrams/animation-*.png, and under reduced motion nothing moves.
 */
export async function derivationAnimation(t) {
  const page = await openEditor(t);
  await pickPreset(page, 'dense_patchify');

  await watchMotion(page);
  let steps = 0;
  for (; steps < 3 && !(await byTestId(page, 'simplify-step').isDisabled()); steps++) {
    await clickTestId(page, 'simplify-step');
    await waitForText(page, 'step-log', /\w/);
    await waitForDiagram(page);
  }
  assert.ok(steps >= 2, `only ${steps} simplification steps`);
  const stepped = await motionSeen(page);
  assert.ok(stepped.moving, 'a rewrite step was not animated');
  assert.ok(stepped.fading, 'no element faded during a rewrite step');

  const before = await editorState(page);
  await watchMotion(page);
  await watchCaptions(page);
  await clickTestId(page, 'play-derivation');
  await byTestId(page, 'replay-caption').waitFor({ timeout: WAIT_MS });
  await byTestId(page, 'play-derivation').waitFor({ timeout: WAIT_MS });
  // Every frame was shown, in order, from the start (recorded in the page: a loaded machine
  // may render a frame slower than a poll from here would see it).
  const captions = await page.evaluate(() => /** @type {any} */ (globalThis).__captions);
  const count = Number(/^1 of (\d+): the start/.exec(captions[0] ?? '')?.[1]);
  assert.ok(count >= steps + 1, `the replay began with ${JSON.stringify(captions[0])}`);
  assert.deepEqual(
    captions.map((c) => Number(c.split(' of ')[0])),
    Array.from({ length: count }, (_, k) => k + 1),
    `frames shown: ${JSON.stringify(captions)}`,
  );
  const replayed = await motionSeen(page);
  assert.ok(replayed.moving && replayed.fading, 'the replay was not animated');
  assert.deepEqual(await editorState(page), before, 'the replay changed the work');

  // Stopping part way returns to the work as it was.
  await clickTestId(page, 'play-derivation');
  await byTestId(page, 'replay-stop').waitFor({ timeout: WAIT_MS });
  await clickTestId(page, 'replay-stop');
  assert.deepEqual(await editorState(page), before, 'stopping the replay changed the work');

  // Frames of one step back (three rewrites undone) for the README. A screenshot here takes
  // longer than the whole move, so the page's animation frames are told a time ten times
  // slower while they are taken.
  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.__raf = w.requestAnimationFrame;
    w.requestAnimationFrame = (cb) => w.__raf((now) => cb(now / 10));
  });
  await clickTestId(page, 'step-0');
  await page.waitForSelector('[data-diagram-moving]', { timeout: WAIT_MS });
  mkdirSync(docs, { recursive: true });
  for (let frame = 1; frame <= 4; frame++) {
    await byTestId(page, 'canvas').screenshot({ path: join(docs, `animation-${frame}.png`) });
    await page.waitForTimeout(900);
  }
  await page.evaluate(() => {
    const w = /** @type {any} */ (globalThis);
    w.requestAnimationFrame = w.__raf;
  });
  await waitForDiagram(page);
  await clickTestId(page, 'step-3');
  await waitForDiagram(page);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await watchMotion(page);
  await clickTestId(page, 'step-1');
  await waitForDiagram(page);
  await clickTestId(page, 'simplify-step');
  await waitForDiagram(page);
  await page.waitForTimeout(800);
  assert.deepEqual(
    await motionSeen(page),
    { moving: false, fading: false },
    'steps moved under reduced motion',
  );
  expectNoConsoleErrors(t);
}
derivationAnimation.timeout = 240_000;

/** Cuts W out of the convolution (the derivative with respect to it) and waits for the drawing. */
async function cutWeight(page, einsum) {
  await clickTestId(page, 'tensor-weight');
  await clickTestId(page, 'action-derivative');
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="einsum"]')?.textContent?.trim() !== before,
    einsum,
    { timeout: WAIT_MS },
  );
  await waitForDiagram(page);
}

/**
 * Cutting a tensor out animates on its own: the cut tensor fades out while the rest glide
 * to their new places, undo animates back, and under reduced motion the same cut jumps.
 */
export async function cutAnimates(t) {
  const page = await openEditor(t);
  await waitForDiagram(page);
  const einsum = ((await byTestId(page, 'einsum').textContent()) ?? '').trim();

  await watchMotion(page);
  await cutWeight(page, einsum);
  const cut = await motionSeen(page);
  assert.ok(cut.moving, 'the cut was not animated');
  assert.ok(cut.fading, 'the cut tensor did not fade out');
  assert.equal(await byTestId(page, 'tensor-weight').count(), 0, 'W is still drawn');

  await watchMotion(page);
  await clickTestId(page, 'undo');
  await waitForText(page, 'einsum', einsum);
  await waitForDiagram(page);
  assert.ok((await motionSeen(page)).moving, 'undoing the cut was not animated');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await watchMotion(page);
  await cutWeight(page, einsum);
  await page.waitForTimeout(800);
  assert.deepEqual(
    await motionSeen(page),
    { moving: false, fading: false },
    'the cut moved under reduced motion',
  );
  expectNoConsoleErrors(t);
}
cutAnimates.timeout = 120_000;
