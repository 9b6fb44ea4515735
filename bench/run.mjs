#!/usr/bin/env node
// `npm run bench [-- OPTIONS]`: builds the benchmark page (bench/index.html) with Vite,
// serves it on a loopback port, opens it in headless Debian Chromium with WebGPU
// (SwiftShader where there is no GPU) through playwright-core, relays its progress, and
// writes bench-results/bench.json plus the table on stdout.
//
// OPTIONS (passed to the page as query parameters, except --layers-file):
//   --layers-file FILE (layers in the format of test/fixtures/layers.json; default that file)
//   --layers a,b  --ops forward,kfc  --batch N  --runs N  --warmup N  --max-run-ms N
//   --planner ALG  --no-einsum  --no-simplify (skip the rewrite rules)  --quick (batch 1, 30 s cap per run)  --backend webgpu,wasm
//   --profile (log the engine's time per instruction)  --micro (kernel micro-benchmarks only)
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), BENCH_TIMEOUT_MIN (default 180).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { register } from 'tsx/esm/api';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Built into node_modules/ so the page's output never shows up in the working tree.
const outDir = join(root, 'node_modules', '.einsketch-bench');
const resultsDir = join(root, 'bench-results');
const timeoutMin = Number(process.env.BENCH_TIMEOUT_MIN || 180);

const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function queryFromArgs(argv) {
  const params = new URLSearchParams();
  let layersFile;
  for (let j = 0; j < argv.length; j++) {
    const arg = argv[j];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (['quick', 'no-einsum', 'no-simplify', 'profile', 'micro'].includes(name))
      params.set(name, '');
    else if (name === 'layers-file') layersFile = inline ?? argv[++j];
    else params.set(name, inline ?? argv[++j]);
  }
  return { params, layersFile };
}

/** Reads and checks --layers-file here, so a bad file fails before the page is built. */
async function readLayersFile(path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the layers file '${path}': ${err.code ?? String(err)}`, {
      cause: err,
    });
  }
  register();
  const { parseLayersText } = await import('../src/engine/bench/layersFile.ts');
  parseLayersText(text, path);
  return { source: path, json: JSON.parse(text) };
}

const MIME = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

function serve(dir) {
  const server = createServer(async (req, res) => {
    const path =
      normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '') ||
      'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir + sep) && file !== dir) return res.writeHead(403).end();
    const body = await readFile(file).catch(() => null);
    if (!body) return res.writeHead(404).end('not found');
    res
      .writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' })
      .end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let params;
let layers;
try {
  const parsed = queryFromArgs(process.argv.slice(2));
  params = parsed.params;
  if (parsed.layersFile) layers = await readLayersFile(parsed.layersFile);
} catch (err) {
  process.stderr.write(
    `bench: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`,
  );
  process.exit(1);
}
const t0 = Date.now();
await build({
  configFile: false,
  root: join(root, 'bench'),
  base: './',
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
});
const server = await serve(outDir);
const url = `http://127.0.0.1:${server.address().port}/index.html?${params}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
  headless: true,
});
let exitCode = 0;
try {
  const page = await browser.newPage();
  // The page reads --layers-file from here (it cannot read the local file itself).
  if (layers) await page.addInitScript((given) => (window.__benchLayers = given), layers);
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('[bench] ')) process.stderr.write(`${text.slice(8).split('\n')[0]}\n`);
    else if (msg.type() === 'error') process.stderr.write(`page error: ${text}\n`);
  });
  page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
  process.stderr.write(`bench: ${url}\n`);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__bench?.done === true, null, {
    timeout: timeoutMin * 60_000,
    polling: 1000,
  });
  const result = await page.evaluate(() => window.__bench);
  if (result.error) throw new Error(`the page failed: ${result.error.split('\n')[0]}`);
  if (!result.report) {
    process.stdout.write(`${result.table}\n`);
    process.exit(0);
  }
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, 'bench.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        ...result.report,
        wallSeconds: (Date.now() - t0) / 1000,
        query: params.toString(),
        layersFile: layers?.source,
      },
      null,
      2,
    ),
  );
  process.stdout.write(
    `${result.table}\n(written to ${file}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all)\n`,
  );
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
