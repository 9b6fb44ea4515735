import {
  BENCH_OPS,
  benchCase,
  type BenchOp,
  type BenchReport,
  type CaseResult,
} from '../../engine/bench/index.ts';
import { LAYERS_FILE } from './benchLayers.ts';
import type { JobContext } from './runJob.ts';
import type { BenchJobConfig } from './runMessages.ts';

/**
 * The benchmark view's job: the layer suite of test/fixtures/layers.json through the very
 * pipeline `npm run bench` uses (src/engine/bench), one case at a time so progress and
 * results stream back and a cancel takes effect between cases.
 */

export async function runBenchJob(config: BenchJobConfig, ctx: JobContext): Promise<BenchReport> {
  const names = config.layers?.length ? config.layers : LAYERS_FILE.layers.map((l) => l.name);
  const unknown = names.filter((n) => !LAYERS_FILE.layers.some((l) => l.name === n));
  if (unknown.length) throw new Error(`unknown layer(s): ${unknown.join(', ')}`);
  const ops: BenchOp[] = config.ops?.length ? [...config.ops] : [...BENCH_OPS];
  const batch = config.batch ?? LAYERS_FILE.batch;
  const runs = Math.max(5, config.runs ?? 5);
  ctx.progress({ stage: 'backend', fraction: 0, message: 'starting the backend' });
  const backend = await ctx.selectBackend(config.backend ?? 'webgpu', config.allowFallback ?? true);
  const fallbacks = backend.fallbackReason ? [backend.fallbackReason] : [];
  const t0 = performance.now();
  const cases: CaseResult[] = [];
  const total = names.length * ops.length;
  for (const name of names) {
    const spec = LAYERS_FILE.layers.find((l) => l.name === name)!;
    for (const op of ops) {
      ctx.progress({
        stage: 'bench',
        fraction: cases.length / total,
        message: `${name} ${op}`,
        cases: [...cases],
      });
      await ctx.checkpoint();
      cases.push(
        await benchCase(spec, op, batch, {
          runs,
          warmup: config.warmup,
          maxRunMs: config.maxRunMs,
        }),
      );
    }
  }
  const report: BenchReport = {
    backend: backend.name,
    fallbacks,
    batch,
    fileBatch: LAYERS_FILE.batch,
    simplified: true,
    runs,
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    totalMs: performance.now() - t0,
    cases,
    einsum: [],
  };
  ctx.progress({ stage: 'bench', fraction: 1, message: 'done', cases: [...cases] });
  return report;
}
