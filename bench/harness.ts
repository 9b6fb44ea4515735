import * as tf from '@tensorflow/tfjs-core';
import { parseEinsum } from '../src/core/einsum/index.ts';
import {
  benchLayerConfig,
  layerOpInput,
  type BenchLayer,
  type LayerConfig,
} from '../src/core/layer.ts';
import { getOperation } from '../src/core/ops/index.ts';
import { simplify } from '../src/core/rewrite/index.ts';
import type { PlanAlgorithm } from '../src/core/planner/index.ts';
import { BENCH_OPS, BENCH_OP_NAMES, builtinFor, type BenchOp } from '../src/engine/baselines.ts';
import { compileNetwork } from '../src/engine/evaluate.ts';
import { Executable } from '../src/engine/execute.ts';
import {
  maxAbs,
  maxAbsDiff,
  measure,
  median,
  randomValues,
  type Measurement,
} from '../src/engine/measure.ts';

// The measurement itself lives in src/engine/measure.ts so the app's run panel times the same way.
export {
  maxAbs,
  maxAbsDiff,
  measure,
  median,
  once,
  randomValues,
  type Measurement,
} from '../src/engine/measure.ts';

/**
 * The benchmark: for each layer of layers.json and each op, the tensor-network engine
 * against tfjs's built-in on the same backend. Shared by the browser page (WebGPU) and
 * the Node runner (cpu / wasm). Per case: one warm-up run (shader compilation, planner
 * and lowering are outside the timing), then `runs` timed runs, each synchronised with
 * `await t.data()`, reporting the median; one extra run under tf.profile for the peak
 * memory; the max abs difference between the two results in PyTorch layout.
 */

/** A layer of layers.json: the core's BenchLayer. */
export type LayerSpec = BenchLayer;

export interface LayersFile {
  batch: number;
  layers: LayerSpec[];
}

export interface BenchConfig {
  /** Batch size; layers.json's unless reduced for slow (CPU-emulated) devices. */
  batch?: number;
  /** Timed runs per measurement (the median is reported); at least 5. */
  runs?: number;
  warmup?: number;
  /** Substrings of layer names to keep (all if empty). */
  layers?: string[];
  ops?: BenchOp[];
  /** Skip timing a method whose warm-up run took longer than this (keeps the suite bounded). */
  maxRunMs?: number;
  planAlgorithm?: PlanAlgorithm;
  /** Also compare with tf.einsum on two-operand contractions. */
  einsum?: boolean;
  /** Log the engine's time per instruction (each waited for) for every case. */
  profile?: boolean;
  /**
   * Error scopes of the device (WebGPU): a kernel that fails validation or runs out of
   * memory does nothing and leaves stale data behind, so every measurement is wrapped and
   * a failure reported instead of a timing.
   */
  deviceErrors?: DeviceErrorScope;
  /**
   * Apply the rewrite rules first (default true, as `einsketch run` does): dense and
   * down-sampling Π become reshapes and slices of the input, 1×1 convolutions lose Π.
   */
  simplify?: boolean;
  log?: (line: string) => void;
}

export interface DeviceErrorScope {
  begin(): void;
  /** The first error since begin(), if any. */
  end(): Promise<string | undefined>;
}

export interface CaseResult {
  layer: string;
  kind: string;
  op: BenchOp;
  batch: number;
  inputBytes: number;
  resultBytes: number;
  tn?: Measurement & { path: number[][]; algorithm: string; planMs: number; steps: string[] };
  builtin?: Measurement;
  /** Why the built-in or a timing is missing. */
  note?: string;
  /** max |TN − built-in| and max |built-in|, PyTorch layout. */
  maxAbsError?: number;
  maxAbs?: number;
  /** TN time / built-in time (< 1: the engine is faster). */
  ratio?: number;
  wallMs: number;
}

export interface EinsumResult {
  equation: string;
  shapes: number[][];
  engineMs: number;
  einsumMs: number;
  /** tf.einsum time / engine time. */
  speedup: number;
  maxAbsError: number;
}

export interface BenchReport {
  backend: string;
  fallbacks: string[];
  batch: number;
  /** layers.json's batch (the run may use a smaller one on slow devices). */
  fileBatch?: number;
  /** Whether the rewrite rules were applied first (bench default). */
  simplified?: boolean;
  runs: number;
  startedAt: string;
  totalMs: number;
  cases: CaseResult[];
  einsum: EinsumResult[];
}

export const layerConfig: (spec: LayerSpec, batch: number) => LayerConfig = benchLayerConfig;

const now = () => performance.now();

type CaseConfig = Required<Pick<BenchConfig, 'runs' | 'warmup'>> & {
  maxRunMs: number;
  planAlgorithm?: PlanAlgorithm;
  profile?: boolean;
  simplify: boolean;
  deviceErrors?: DeviceErrorScope;
  log: (line: string) => void;
};

/** Runs `fn` inside the device's error scope; a device error becomes the thrown message. */
async function guarded<T>(
  scope: DeviceErrorScope | undefined,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  scope?.begin();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await fn() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // The scope is closed whatever happened; a device error explains a failure best.
  const deviceError = await scope?.end();
  if (deviceError)
    throw new Error(`${what}: device error: ${deviceError.split('\n')[0]}`, {
      cause: outcome.ok ? undefined : outcome.error,
    });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function benchCase(
  spec: LayerSpec,
  op: BenchOp,
  batch: number,
  cfg: CaseConfig,
): Promise<CaseResult> {
  const start = now();
  const layer = layerConfig(spec, batch);
  const input = layerOpInput(BENCH_OP_NAMES[op], layer);
  const built = getOperation(BENCH_OP_NAMES[op]).build(input);
  const net = cfg.simplify ? simplify(built).network : built;
  const inputBytes = Object.values(input.shapes).reduce(
    (a, s) => a + s.reduce((p, q) => p * q, 1) * 4,
    0,
  );
  const resultBytes = net.resultShape.reduce((p, q) => p * q, 1) * 4;
  const result: CaseResult = {
    layer: spec.name,
    kind: spec.kind,
    op,
    batch,
    inputBytes,
    resultBytes,
    wallMs: 0,
  };
  const torch: Record<string, tf.Tensor> = {};
  Object.entries(input.shapes).forEach(([name, shape], j) => {
    torch[name] = tf.tensor(
      randomValues(
        shape.reduce((p, q) => p * q, 1),
        j + 1,
      ),
      [...shape],
      'float32',
    );
  });
  const notes: string[] = [];
  let exe: Executable | undefined;
  let prepared: tf.Tensor[] = [];
  try {
    const t0 = now();
    const { plan, program } = compileNetwork(
      net,
      input.shapes,
      cfg.planAlgorithm ? { planOptions: { algorithm: cfg.planAlgorithm } } : {},
    );
    const planMs = now() - t0;
    exe = new Executable(program);
    const engine = exe;
    const tn = await guarded(cfg.deviceErrors, 'engine', () =>
      measure('engine', () => engine.run(torch), cfg),
    );
    if (typeof tn === 'string') notes.push(tn);
    else
      result.tn = {
        ...tn,
        path: plan.path,
        algorithm: plan.algorithm,
        planMs,
        steps: program.steps.map((s) => s.kinds.join('+') || 'lazy'),
      };
    if (cfg.profile) {
      const times = await engine.profile(torch);
      const total = times.reduce((a, t) => a + t.ms, 0);
      cfg.log(
        `  profile (${total.toFixed(0)} ms with a wait after each instruction), path ${JSON.stringify(plan.path)} [${plan.algorithm}]:`,
      );
      for (const t of times)
        if (t.ms >= 0.02 * total)
          cfg.log(`    step ${t.step} ${t.op} [${t.shape.join(', ')}] ${t.ms.toFixed(1)} ms`);
    }

    const choice = builtinFor(op, layer);
    let builtinOut: Float32Array | undefined;
    if ('skip' in choice) {
      notes.push(`no built-in: ${choice.skip}`);
    } else {
      const b = choice.builtin;
      prepared = b.prepare(torch);
      try {
        const bm = await guarded(cfg.deviceErrors, b.name, () =>
          measure(b.name, () => b.run(prepared), cfg),
        );
        if (typeof bm === 'string') notes.push(bm);
        else result.builtin = bm;
        builtinOut = await guarded(cfg.deviceErrors, b.name, async () => {
          const out = b.run(prepared);
          const asTorch = b.toTorch(out);
          // Copied out of the backend before anything else runs.
          const values = Float32Array.from(await asTorch.data());
          tf.dispose([out, asTorch]);
          return values;
        });
      } catch (err) {
        notes.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (builtinOut) {
      const tnOut = await guarded(cfg.deviceErrors, 'engine', async () => {
        const out = engine.run(torch);
        const values = Float32Array.from(await out.data());
        out.dispose();
        return values;
      });
      result.maxAbsError = maxAbsDiff(tnOut, builtinOut);
      result.maxAbs = maxAbs(builtinOut);
    }
    if (result.tn && result.builtin) result.ratio = result.tn.medianMs / result.builtin.medianMs;
  } catch (err) {
    notes.push(`error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  } finally {
    exe?.dispose();
    tf.dispose([...Object.values(torch), ...prepared]);
  }
  if (notes.length) result.note = notes.join('; ');
  result.wallMs = now() - start;
  return result;
}

/** Two-operand contractions: the engine's transpose/reshape/matMul lowering vs tf.einsum. */
export const EINSUM_CASES: { equation: string; shapes: number[][] }[] = [
  {
    equation: 'ij,jk->ik',
    shapes: [
      [256, 256],
      [256, 256],
    ],
  },
  {
    equation: 'bij,bjk->bik',
    shapes: [
      [8, 128, 128],
      [8, 128, 128],
    ],
  },
  {
    equation: 'abc,cbd->da',
    shapes: [
      [64, 32, 32],
      [32, 32, 64],
    ],
  },
];

async function benchEinsum(
  cfg: Required<Pick<BenchConfig, 'runs' | 'warmup'>> & { maxRunMs: number },
  log: (l: string) => void,
): Promise<EinsumResult[]> {
  const results: EinsumResult[] = [];
  for (const { equation, shapes } of EINSUM_CASES) {
    const net = parseEinsum(equation, shapes, { names: ['a', 'b'] });
    const a = tf.tensor(
      randomValues(
        shapes[0].reduce((p, q) => p * q, 1),
        11,
      ),
      shapes[0],
    );
    const b = tf.tensor(
      randomValues(
        shapes[1].reduce((p, q) => p * q, 1),
        12,
      ),
      shapes[1],
    );
    const { program } = compileNetwork(net, { a: shapes[0], b: shapes[1] });
    const exe = new Executable(program);
    try {
      const e = await measure('engine', () => exe.run({ a, b }), cfg);
      const s = await measure('tf.einsum', () => tf.einsum(equation, a, b), cfg);
      if (typeof e === 'string' || typeof s === 'string') {
        log(`einsum ${equation}: ${typeof e === 'string' ? e : s}`);
        continue;
      }
      const x = exe.run({ a, b });
      const y = tf.einsum(equation, a, b);
      const err = maxAbsDiff(await x.data(), await y.data());
      tf.dispose([x, y]);
      results.push({
        equation,
        shapes,
        engineMs: e.medianMs,
        einsumMs: s.medianMs,
        speedup: s.medianMs / e.medianMs,
        maxAbsError: err,
      });
      log(
        `einsum ${equation} ${JSON.stringify(shapes)}: engine ${e.medianMs.toFixed(2)} ms, tf.einsum ${s.medianMs.toFixed(2)} ms (${(s.medianMs / e.medianMs).toFixed(1)}× faster)`,
      );
    } finally {
      exe.dispose();
      tf.dispose([a, b]);
    }
  }
  return results;
}

export function selectLayers(file: LayersFile, filters: readonly string[] = []): LayerSpec[] {
  if (!filters.length) return file.layers;
  return file.layers.filter((l) => filters.some((f) => l.name.includes(f)));
}

export async function runBenchmarks(
  file: LayersFile,
  config: BenchConfig,
  backend: { name: string; fallbacks: string[] },
): Promise<BenchReport> {
  const log = config.log ?? (() => {});
  const batch = config.batch ?? file.batch;
  const cfg = {
    runs: Math.max(5, config.runs ?? 5),
    warmup: Math.max(1, config.warmup ?? 1),
    maxRunMs: config.maxRunMs ?? Infinity,
    planAlgorithm: config.planAlgorithm,
    profile: config.profile,
    simplify: config.simplify !== false,
    deviceErrors: config.deviceErrors,
    log,
  };
  const ops = config.ops?.length ? config.ops : [...BENCH_OPS];
  const layers = selectLayers(file, config.layers);
  const start = now();
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
      log(`${spec.name} ${op} …`);
      const r = await benchCase(spec, op, batch, cfg);
      report.cases.push(r);
      log(formatCaseLine(r));
    }
  }
  if (config.einsum !== false) report.einsum = await benchEinsum(cfg, log);
  report.totalMs = now() - start;
  return report;
}

const ms = (m: number | undefined) =>
  m === undefined ? '—' : m >= 100 ? m.toFixed(0) : m.toFixed(2);
const mib = (b: number | undefined) => (b === undefined ? '—' : (b / 2 ** 20).toFixed(1));

export function formatCaseLine(r: CaseResult): string {
  const parts = [
    `${r.layer} ${r.op}:`,
    `TN ${ms(r.tn?.medianMs)} ms`,
    `built-in ${ms(r.builtin?.medianMs)} ms${r.builtin ? ` (${r.builtin.name})` : ''}`,
    r.ratio !== undefined ? `ratio ${r.ratio.toFixed(2)}` : '',
    r.maxAbsError !== undefined ? `err ${r.maxAbsError.toExponential(1)}` : '',
    `(${(r.wallMs / 1000).toFixed(1)} s)`,
    r.note ? `— ${r.note}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The readable table: one row per case, then the per-op medians and the einsum comparison. */
export function formatReport(report: BenchReport): string {
  const header = [
    'layer',
    'op',
    'TN ms',
    'built-in ms',
    'TN/built-in',
    'TN peak MiB',
    'built-in peak MiB',
    'input MiB',
    'result MiB',
    'max abs err (rel)',
    'built-in',
    'note',
  ];
  const rows = report.cases.map((r) => [
    r.layer,
    r.op,
    ms(r.tn?.medianMs),
    ms(r.builtin?.medianMs),
    r.ratio === undefined ? '—' : r.ratio.toFixed(2),
    mib(r.tn?.peakBytes),
    mib(r.builtin?.peakBytes),
    mib(r.inputBytes),
    mib(r.resultBytes),
    r.maxAbsError === undefined
      ? '—'
      : `${r.maxAbsError.toExponential(1)} (${(r.maxAbsError / (r.maxAbs || 1)).toExponential(1)})`,
    r.builtin?.name ?? '—',
    r.note ?? '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const out = [
    `backend ${report.backend}${report.fallbacks.length ? ` (${report.fallbacks.join('; ')})` : ''}, batch ${report.batch}${report.fileBatch !== undefined && report.batch !== report.fileBatch ? ` (reduced from layers.json's ${report.fileBatch})` : ''}${report.simplified === undefined ? '' : report.simplified ? ', networks simplified by the rewrite rules' : ', unsimplified networks'}, median of ${report.runs} runs, total ${(report.totalMs / 1000).toFixed(0)} s`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'median TN/built-in time ratio per op (< 1: engine faster):',
  ];
  for (const [op, s] of Object.entries(summarize(report))) {
    out.push(
      `  ${op.padEnd(12)} ${s.median === undefined ? '—' : s.median.toFixed(2)}  over ${s.count} layers  (range ${s.min?.toFixed(2) ?? '—'} … ${s.max?.toFixed(2) ?? '—'})`,
    );
  }
  if (report.einsum.length) {
    out.push('', 'engine vs tf.einsum:');
    for (const e of report.einsum) {
      out.push(
        `  ${e.equation.padEnd(14)} ${JSON.stringify(e.shapes)}: engine ${ms(e.engineMs)} ms, tf.einsum ${ms(e.einsumMs)} ms, ${e.speedup.toFixed(1)}× faster, max abs err ${e.maxAbsError.toExponential(1)}`,
      );
    }
  }
  return out.join('\n');
}

export function summarize(
  report: BenchReport,
): Record<string, { median?: number; min?: number; max?: number; count: number }> {
  const out: Record<string, { median?: number; min?: number; max?: number; count: number }> = {};
  for (const op of BENCH_OPS) {
    const ratios = report.cases
      .filter((c) => c.op === op && c.ratio !== undefined)
      .map((c) => c.ratio!);
    if (!report.cases.some((c) => c.op === op)) continue;
    out[op] = ratios.length
      ? {
          median: median(ratios),
          min: Math.min(...ratios),
          max: Math.max(...ratios),
          count: ratios.length,
        }
      : { count: 0 };
  }
  return out;
}

/** Parses the shared command-line / URL options. */
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
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const quick = has('quick');
  const ops = list(get('ops')) as BenchOp[] | undefined;
  for (const op of ops ?? [])
    if (!BENCH_OPS.includes(op))
      throw new Error(`unknown op '${op}' (known: ${BENCH_OPS.join(', ')})`);
  return {
    batch: num(get('batch')) ?? (quick ? 1 : undefined),
    runs: num(get('runs')),
    warmup: num(get('warmup')),
    layers: list(get('layers')),
    ops,
    maxRunMs: num(get('max-run-ms')) ?? (quick ? 30_000 : undefined),
    planAlgorithm: get('planner') as PlanAlgorithm | undefined,
    einsum: !has('no-einsum'),
    profile: has('profile'),
    simplify: !has('no-simplify'),
  };
}
