import type { PlanAlgorithm } from '../../core/planner/index.ts';
import { parseBenchOps } from './ops.ts';
import type { BenchConfig } from './suite.ts';

/**
 * The benchmark's options, shared by the command line (`npm run bench:node`) and the
 * browser page's query string (`npm run bench`):
 *   --layers a,b  --ops forward,kfc  --batch N  --runs N  --warmup N  --max-run-ms N
 *   --planner ALG  --no-einsum  --no-simplify  --profile  --quick (batch 1, 30 s cap per run)
 * (`--layers-file FILE` and `--backend` are read by each command line itself.)
 */
export function parseBenchArgs(
  get: (name: string) => string | undefined,
  has: (name: string) => boolean,
): BenchConfig {
  const list = (v: string | undefined) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const num = (name: string, min: number): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} takes a number ≥ ${min}, got '${v}'`);
    return n;
  };
  const quick = has('quick');
  const ops = list(get('ops'));
  return {
    batch: num('batch', 1) ?? (quick ? 1 : undefined),
    runs: num('runs', 1),
    warmup: num('warmup', 0),
    layers: list(get('layers')),
    ops: ops && parseBenchOps(ops),
    maxRunMs: num('max-run-ms', 0) ?? (quick ? 30_000 : undefined),
    planAlgorithm: get('planner') as PlanAlgorithm | undefined,
    einsum: !has('no-einsum'),
    profile: has('profile'),
    simplify: !has('no-simplify'),
  };
}
