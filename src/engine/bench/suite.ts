import { benchLayerConfig, layerOpInput, type BenchLayer } from '../../core/layer.ts';
import { getOperation } from '../../core/ops/index.ts';
import type { PlanAlgorithm } from '../../core/planner/index.ts';
import { simplify } from '../../core/rewrite/index.ts';
import { compileNetwork } from '../evaluate.ts';
import { Executable } from '../execute.ts';
import { builtinFor } from './baselines.ts';
import { maxAbs, maxAbsDiff } from './compare.ts';
import { benchEinsum } from './einsumCases.ts';
import { bytesOf, seededInputs, uploadInputs } from './inputs.ts';
import { selectLayers, type LayersFile } from './layersFile.ts';
import { BENCH_OP_NAMES, BENCH_OPS, type BenchOp } from './ops.ts';
import type { BenchReport, CaseResult } from './report.ts';
import { formatCaseLine } from './report.ts';
import { builtinSide, measureSides, networkSide } from './sides.ts';
import type { DeviceErrorScope, RoundsConfig } from './timing.ts';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The benchmark suite: for each layer of a layers file and each op, the tensor-network
 * engine against tfjs's built-in on the active backend, through the shared pipeline
 * (sides.ts). Planning and lowering are outside the timing; the max abs difference of the
 * two results is in PyTorch layout.
 */

export interface BenchConfig {
  /** Batch size; the layers file's unless reduced for slow (CPU-emulated) devices. */
  batch?: number;
  /** Timed runs per side (the median is reported); at least 5. */
  runs?: number;
  warmup?: number;
  /** Substrings of layer names to keep (all if empty). */
  layers?: string[];
  ops?: BenchOp[];
  /** Skip timing a side whose warm-up run took longer than this (keeps the suite bounded). */
  maxRunMs?: number;
  planAlgorithm?: PlanAlgorithm;
  /** Also compare with tf.einsum on two-operand contractions. */
  einsum?: boolean;
  /** Log the engine's time per instruction (each waited for) for every case. */
  profile?: boolean;
  /** Wrapped around every run on WebGPU, so a failed kernel is reported, not timed. */
  deviceErrors?: DeviceErrorScope;
  /**
   * Apply the rewrite rules first (default true, as `einsketch run` does): dense and
   * down-sampling Π become reshapes and slices of the input, 1×1 convolutions lose Π.
   */
  simplify?: boolean;
  log?: (line: string) => void;
}

type CaseConfig = RoundsConfig & {
  planAlgorithm?: PlanAlgorithm;
  profile?: boolean;
  simplify: boolean;
  log: (line: string) => void;
};

function caseConfig(config: BenchConfig): CaseConfig {
  return {
    runs: Math.max(5, config.runs ?? 5),
    warmup: Math.max(1, config.warmup ?? 1),
    maxRunMs: config.maxRunMs ?? Infinity,
    planAlgorithm: config.planAlgorithm,
    profile: config.profile,
    simplify: config.simplify !== false,
    deviceErrors: config.deviceErrors,
    log: config.log ?? (() => {}),
  };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** One layer and op: TN and built-in timed in interleaved rounds, then compared. */
export async function benchCase(
  spec: BenchLayer,
  op: BenchOp,
  batch: number,
  config: BenchConfig = {},
): Promise<CaseResult> {
  const cfg = caseConfig(config);
  const start = performance.now();
  const layer = benchLayerConfig(spec, batch);
  const opName = BENCH_OP_NAMES[op];
  const input = layerOpInput(opName, layer);
  const shapes = Object.fromEntries(Object.entries(input.shapes).map(([n, s]) => [n, [...s]]));
  const built = getOperation(opName).build(input);
  const net = cfg.simplify ? simplify(built).network : built;
  const result: CaseResult = {
    layer: spec.name,
    kind: spec.kind,
    op,
    batch,
    inputBytes: Object.values(shapes).reduce((a, s) => a + bytesOf(s), 0),
    resultBytes: bytesOf(net.resultShape),
    wallMs: 0,
  };
  const notes: string[] = [];
  const torch = uploadInputs(seededInputs(shapes), shapes);
  try {
    const t0 = performance.now();
    const { plan, program } = compileNetwork(
      net,
      shapes,
      cfg.planAlgorithm ? { planOptions: { algorithm: cfg.planAlgorithm } } : {},
    );
    const planMs = performance.now() - t0;
    const choice = builtinFor(opName, layer);
    if ('skip' in choice) notes.push(`no built-in: ${choice.skip}`);
    const sides = [networkSide('engine', program, torch)];
    if ('builtin' in choice) sides.push(builtinSide(choice.builtin, torch));
    const [tn, builtin] = await measureSides(sides, cfg);
    for (const s of [tn, builtin]) if (s?.skipped) notes.push(s.skipped);
    if (tn.measurement)
      result.tn = {
        ...tn.measurement,
        path: plan.path.map((p) => [...p]),
        algorithm: plan.algorithm,
        planMs,
        steps: program.steps.map((s) => s.kinds.join('+') || 'lazy'),
      };
    if (builtin?.measurement) result.builtin = builtin.measurement;
    if (tn.data && builtin?.data) {
      result.maxAbsError = maxAbsDiff(tn.data, builtin.data);
      result.maxAbs = maxAbs(builtin.data);
    }
    if (result.tn && result.builtin) result.ratio = result.tn.medianMs / result.builtin.medianMs;
    if (cfg.profile) await logProfile(program, torch, cfg.log);
  } catch (err) {
    notes.push(`error: ${message(err)}`);
  } finally {
    tf.dispose(Object.values(torch));
  }
  if (notes.length) result.note = notes.join('; ');
  result.wallMs = performance.now() - start;
  return result;
}

/** Where the engine's time goes: each instruction waited for. */
async function logProfile(
  program: ConstructorParameters<typeof Executable>[0],
  inputs: Record<string, tf.Tensor>,
  log: (line: string) => void,
): Promise<void> {
  const exe = new Executable(program);
  try {
    const times = await exe.profile(inputs);
    const total = times.reduce((a, t) => a + t.ms, 0);
    log(`  profile (${total.toFixed(0)} ms with a wait after each instruction):`);
    for (const t of times)
      if (t.ms >= 0.02 * total)
        log(`    step ${t.step} ${t.op} [${t.shape.join(', ')}] ${t.ms.toFixed(1)} ms`);
  } finally {
    exe.dispose();
  }
}

export async function runBenchmarks(
  file: LayersFile,
  config: BenchConfig,
  backend: { name: string; fallbacks: string[] },
): Promise<BenchReport> {
  const cfg = caseConfig(config);
  const batch = config.batch ?? file.batch;
  const ops = config.ops?.length ? config.ops : [...BENCH_OPS];
  const layers = selectLayers(file, config.layers);
  const start = performance.now();
  const report: BenchReport = {
    backend: backend.name,
    fallbacks: backend.fallbacks,
    batch,
    fileBatch: file.batch,
    simplified: cfg.simplify,
    runs: cfg.runs,
    startedAt: new Date().toISOString(),
    totalMs: 0,
    cases: [],
    einsum: [],
  };
  for (const spec of layers) {
    for (const op of ops) {
      cfg.log(`${spec.name} ${op} …`);
      const r = await benchCase(spec, op, batch, config);
      report.cases.push(r);
      cfg.log(formatCaseLine(r));
    }
  }
  if (config.einsum !== false) report.einsum = await benchEinsum(cfg, cfg.log);
  report.totalMs = performance.now() - start;
  return report;
}
