#!/usr/bin/env node
/* global document -- used inside page.waitForFunction, which runs in the browser */
// `npm run diagram-quality`: how legible the editor's diagrams are. For every preset, the VJP
// and JVP of each of its data tensors and the simplified form of each, it opens the built app
// (dist/) in headless Chromium at 1440×900, fits the view and measures the drawing from the
// DOM (see diagram-metrics.mjs).
//
//   node scripts/diagram-quality.mjs [--json FILE] [--baseline FILE] [--only PRESET,...] [--shots DIR]
//
// --json writes the numbers; --shots saves a PNG of each diagram to DIR; --baseline compares edge crossings with an earlier --json run.
// The exit status is 1 when any diagram misses a target: 0 node overlaps, 0 edges through a
// tensor, 0 overlapping texts, smallest text ≥ 11 px, ≥ 60 % of the canvas in one direction,
// and (with --baseline) no more crossings than before.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from '../e2e/server.mjs';
import { measureDiagram } from './diagram-metrics.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repo, 'dist');
const executablePath = CHROMIUM_PATH;
const WAIT_MS = 30_000;

function parseArgs(argv) {
  const args = { json: undefined, baseline: undefined, only: undefined, shots: undefined };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    const value = argv[k + 1];
    if (!['--json', '--baseline', '--only', '--shots'].includes(flag) || value === undefined) {
      throw new Error(
        `unknown argument ${flag} (use --json FILE, --baseline FILE, --only IDS, --shots DIR)`,
      );
    }
    args[flag.slice(2)] = flag === '--only' ? value.split(',') : value;
    k++;
  }
  return args;
}

const testId = (page, id) => page.locator(`[data-testid="${id}"]`);

const still = () =>
  !document.querySelector('[data-layout-pending]') &&
  !document.querySelector('[data-diagram-moving]');

async function settle(page) {
  // Measure the drawing at rest: layout (in a worker) done and a derivation step's
  // transition (500 ms, longer under load) finished, then fit (a 200 ms animation).
  await page.waitForFunction(still, null, { timeout: WAIT_MS });
  await testId(page, 'fit-view').click();
  await page.waitForTimeout(450);
  await page.waitForFunction(still, null, { timeout: WAIT_MS });
}

async function openPreset(page, id) {
  const select = testId(page, 'preset-select');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  // Choosing the preset already shown does nothing; go through another one to start afresh.
  if ((await select.inputValue()) === id) await select.selectOption(options.find((o) => o !== id));
  await select.selectOption(id);
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="canvas"] [data-testid^="tensor-"]').length > 0,
    null,
    { timeout: WAIT_MS },
  );
}

/** Ids and labels of the data tensors on the canvas (the ones that can be differentiated). */
async function dataTensors(page) {
  return page
    .locator('[data-testid="canvas"] [data-testid^="tensor-"][data-kind="data"]')
    .evaluateAll((els) => els.map((el) => el.dataset.testid.slice('tensor-'.length)));
}

let shots;

async function measure(page, name, rows) {
  await settle(page);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await testId(page, 'canvas').screenshot({
      path: join(shots, `${name.replaceAll(' ', '_')}.png`),
    });
  }
  const m = await page.evaluate(measureDiagram, '[data-testid="canvas"]');
  rows.push({ name, ...m });
  console.log(format(rows.at(-1)));
}

async function simplified(page, name, rows) {
  const button = testId(page, 'simplify-all');
  if (await button.isDisabled()) return;
  const einsum = await testId(page, 'einsum').textContent();
  await button.click();
  await page
    .waitForFunction(
      (before) => document.querySelector('[data-testid="einsum"]')?.textContent !== before,
      einsum,
      { timeout: 5_000 },
    )
    .catch(() => {});
  await measure(page, `${name} simplified`, rows);
}

const HEADER =
  'diagram                                          nodes overl thruT texts underE cross  minPx  use%';
function format(r) {
  return [
    r.name.padEnd(48),
    String(r.nodes).padStart(5),
    String(r.nodeOverlaps).padStart(5),
    String(r.edgesThroughTensor).padStart(5),
    String(r.overlappingTexts).padStart(5),
    String(r.textsUnderEdges).padStart(6),
    String(r.crossings).padStart(5),
    r.smallestTextPx.toFixed(1).padStart(6),
    (100 * r.canvasUse.best).toFixed(0).padStart(5),
  ].join(' ');
}

function failures(r, baseline) {
  const bad = [];
  if (r.nodeOverlaps > 0) bad.push(`${r.nodeOverlaps} node overlaps`);
  if (r.edgesThroughTensor > 0) bad.push(`${r.edgesThroughTensor} edges through a tensor`);
  if (r.overlappingTexts > 0) bad.push(`${r.overlappingTexts} overlapping texts`);
  if (r.smallestTextPx < 11) bad.push(`text at ${r.smallestTextPx.toFixed(1)} px`);
  if (r.canvasUse.best < 0.6)
    bad.push(`uses ${(100 * r.canvasUse.best).toFixed(0)} % of the canvas`);
  const before = baseline?.get(r.name);
  if (before && r.crossings > before.crossings)
    bad.push(`${r.crossings} crossings, ${before.crossings} before`);
  return bad;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  shots = args.shots;
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('dist/index.html is missing: run `npm run build` first');
  if (!existsSync(executablePath))
    throw new Error(`${executablePath} not found: install chromium or set CHROMIUM_PATH`);
  const baseline = args.baseline
    ? new Map(JSON.parse(readFileSync(args.baseline, 'utf8')).map((r) => [r.name, r]))
    : undefined;

  const server = await serveStatic(dist);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const rows = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.baseUrl, { waitUntil: 'load' });
    await testId(page, 'preset-select').waitFor({ timeout: WAIT_MS });
    const hint = page.locator('[data-testid="hint"] button');
    if (await hint.count()) await hint.click();
    const presets = await testId(page, 'preset-select')
      .locator('option')
      .evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    console.log(HEADER);
    for (const preset of presets) {
      if (args.only && !args.only.includes(preset)) continue;
      await openPreset(page, preset);
      await measure(page, preset, rows);
      await simplified(page, preset, rows);
      await openPreset(page, preset);
      for (const tensor of await dataTensors(page)) {
        for (const action of ['vjp', 'jvp']) {
          await openPreset(page, preset);
          await testId(page, `tensor-${tensor}`).first().click();
          await testId(page, `action-${action}`).click();
          await page.waitForTimeout(100);
          const name = `${preset} ${action.toUpperCase()} ${tensor}`;
          await measure(page, name, rows);
          await simplified(page, name, rows);
        }
      }
    }
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 1) + '\n');
  let failing = 0;
  for (const r of rows) {
    const bad = failures(r, baseline);
    if (bad.length) {
      failing++;
      console.log(`MISS ${r.name}: ${bad.join(', ')}`);
    }
  }
  console.log(
    `diagram-quality: ${rows.length} diagrams, ${rows.length - failing} meet every target`,
  );
  return failing === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`diagram-quality: ${err?.message ?? err}`);
  process.exitCode = 2;
}
