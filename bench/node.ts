/**
 * `npm run bench:node [-- OPTIONS]`: the benchmark in Node on tfjs-backend-cpu and/or wasm.
 *
 *   --backend cpu,wasm   backends to run (default both, one after the other)
 *   --layers a,b         keep layers whose name contains a or b
 *   --ops forward,kfc    ops (forward, input_vjp, weight_vjp, kfc, kfac_reduce)
 *   --batch N            batch size (default: layers.json's); --quick: batch 1, 30 s per-run cap
 *   --runs N --warmup N --max-run-ms N --planner ALG --no-einsum --no-simplify --profile
 *
 * Writes bench-results/bench-node-<backend>.json and prints the table.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectNodeBackend } from '../src/engine/node.ts';
import type { BackendName } from '../src/engine/backend.ts';
import { formatReport, parseBenchArgs, runBenchmarks, type LayersFile } from './harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const get = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  if (at >= 0) return argv[at + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const has = (name: string) => argv.includes(`--${name}`);

const config = parseBenchArgs(get, has);
const backends = (get('backend') ?? 'cpu,wasm').split(',') as BackendName[];
const file = JSON.parse(readFileSync(join(root, 'test/fixtures/layers.json'), 'utf8')) as LayersFile;
mkdirSync(join(root, 'bench-results'), { recursive: true });

for (const name of backends) {
  const choice = await selectNodeBackend([name]);
  const report = await runBenchmarks(file, { ...config, log: (l) => process.stderr.write(`${l}\n`) }, {
    name: choice.name,
    fallbacks: choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`),
  });
  const out = join(root, 'bench-results', `bench-node-${choice.name}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2));
  process.stdout.write(`${formatReport(report)}\n(written to ${out})\n\n`);
}
