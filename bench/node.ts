/**
 * `npm run bench:node [-- OPTIONS]`: the benchmark in Node, on tfjs-backend-cpu / wasm or
 * on WebGPU through Dawn (npm 'webgpu'; SwiftShader where there is no GPU).
 *
 *   --backend cpu,wasm,webgpu  backends to run, one after the other (default cpu,wasm)
 *   --layers-file FILE         layers in the format of test/fixtures/layers.json (default that file)
 *   --layers a,b               keep layers whose name contains a or b
 *   --ops forward,kfc          ops (forward, input_vjp, weight_vjp, kfc, kfac_reduce)
 *   --batch N                  batch size (default: the file's); --quick: batch 1, 30 s per-run cap
 *   --runs N --warmup N --max-run-ms N --planner ALG --no-einsum --no-simplify --profile
 *
 * Prints one line per case on stderr as it goes, then the table; writes
 * bench-results/bench-node-<backend>.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../src/engine/backend.ts';
import {
  formatReport,
  parseBenchArgs,
  parseLayersText,
  runBenchmarks,
  webgpuErrorScope,
} from '../src/engine/bench/index.ts';
import { selectNodeBackend } from '../src/engine/node.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const get = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  if (at >= 0) return argv[at + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const has = (name: string) => argv.includes(`--${name}`);

async function main(): Promise<void> {
  const config = parseBenchArgs(get, has);
  const backends = (get('backend') ?? 'cpu,wasm').split(',') as BackendName[];
  const layersPath = get('layers-file') ?? join(root, 'test/fixtures/layers.json');
  let text: string;
  try {
    text = readFileSync(layersPath, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read the layers file '${layersPath}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      { cause: err },
    );
  }
  const file = parseLayersText(text, layersPath);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  for (const name of backends) {
    const choice = await selectNodeBackend([name]);
    const report = await runBenchmarks(
      file,
      { ...config, deviceErrors: webgpuErrorScope(), log: (l) => process.stderr.write(`${l}\n`) },
      { name: choice.name, fallbacks: choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`) },
    );
    const out = join(root, 'bench-results', `bench-node-${choice.name}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2));
    process.stdout.write(`${formatReport(report)}\n(written to ${out})\n\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:node: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`,
  );
  process.exitCode = 1;
});
