import * as tf from '@tensorflow/tfjs-core';
import { EinsketchError, fail } from '../../core/errors.ts';
import { layerOpInput } from '../../core/layer.ts';
import { checkNetworkLimits, checkShapeLimits } from '../../core/limits.ts';
import { checkNetwork, product, type Network } from '../../core/network.ts';
import { requireInputShapes } from '../../core/notebook/build.ts';
import type { OpName } from '../../core/ops/index.ts';
import { evaluateReference } from '../../core/reference/evaluate.ts';
import type { Inputs } from '../../core/tensor.ts';
import type { BackendName } from '../../engine/backend.ts';
import { BENCH_OP_NAMES, builtinFor, type BenchOp, type Builtin } from '../../engine/baselines.ts';
import {
  compileNetwork,
  DEFAULT_MEMORY_BUDGET_BYTES,
  type Compiled,
} from '../../engine/evaluate.ts';
import { Executable } from '../../engine/execute.ts';
import {
  maxAbs,
  maxAbsDiff,
  measure,
  randomValues,
  type Measurement,
} from '../../engine/measure.ts';
import { checkProgramBudget } from '../../engine/memory.ts';
import { checkReducedCopy } from './reducedCheck.ts';
import type { PlanSummary, RunConfig, RunProgress, RunResult, RunStage, Timing } from './types.ts';

/**
 * One run of the run panel: checks and compiles the network (refusing it before any
 * allocation when it does not fit the memory budget), then on the active tfjs backend
 * times the tensor network and the built-in with the benchmark harness's measurement,
 * and checks the result against the built-in or, where tfjs has none, the float64
 * reference evaluator. Runs in the worker; plain tfjs and core, so tests run it in Node.
 */

export class BudgetError extends EinsketchError {}

/** Thrown by a checkpoint when the user cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

export interface JobContext {
  /** Activates a backend (after the pure checks, so a refused job allocates nothing). */
  selectBackend(
    preferred: BackendName,
    allowFallback: boolean,
  ): Promise<{ name: BackendName; fallbackReason?: string }>;
  progress(progress: RunProgress): void;
  /**
   * Awaited between runs: yields to the worker's message loop so a cancel gets through,
   * and throws CancelledError (or a GPU failure seen meanwhile).
   */
  checkpoint(): Promise<void>;
}

/**
 * Largest dense work the float64 reference check takes on: it materialises every Π and
 * reaches some 30–70 MFLOP/s, so this is a few seconds in the worker.
 */
export const REFERENCE_MAX_FLOPS = 2e8;
export const REFERENCE_MAX_ELEMENTS = 1 << 24;

const OP_TO_BENCH: Partial<Record<OpName, BenchOp>> = Object.fromEntries(
  Object.entries(BENCH_OP_NAMES).map(([bench, op]) => [op, bench as BenchOp]),
);

type BuiltinPick = { builtin: Builtin } | { skip: string };

/**
 * tfjs's own way to compute the network, when it is one operation of a layer: the
 * benchmark's baselines, and for the JVPs the forward convolution applied to the tangent
 * (both are linear in the input they differentiate).
 */
export function builtinChoice(
  config: Pick<RunConfig, 'op' | 'layer' | 'compareBuiltin' | 'builtinInputs'>,
): {
  choice: BuiltinPick;
  inputsFor: (t: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;
  /** Said after the built-in's name when it computes the network another way. */
  how?: string;
} {
  const picked = builtinForOp(config);
  const names = config.builtinInputs;
  if (!names || !config.op || !config.layer) return picked;
  // A recognised network reads its own inputs: hand them over under the operation's names.
  const shapes = layerOpInput(config.op, config.layer).shapes;
  return {
    ...picked,
    inputsFor: (t) =>
      picked.inputsFor(
        Object.fromEntries(
          Object.entries(names).map(([op, mine]) => [op, tf.reshape(t[mine], [...shapes[op]])]),
        ),
      ),
  };
}

function builtinForOp(config: Pick<RunConfig, 'op' | 'layer' | 'compareBuiltin'>): {
  choice: BuiltinPick;
  inputsFor: (t: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;
  how?: string;
} {
  const same = (t: Record<string, tf.Tensor>) => t;
  const { op, layer } = config;
  if (config.compareBuiltin === false)
    return { choice: { skip: 'built-in comparison turned off' }, inputsFor: same };
  if (!op || !layer)
    return { choice: { skip: 'the network is not one operation of a layer' }, inputsFor: same };
  if (op === 'conv_input_jvp') {
    return {
      choice: builtinFor('forward', layer),
      inputsFor: (t) => ({ x: t.v, weight: t.weight }),
      how: 'on the input tangent',
    };
  }
  if (op === 'conv_weight_jvp') {
    return {
      choice: builtinFor('forward', layer),
      inputsFor: (t) => ({ x: t.x, weight: t.v }),
      how: 'with the weight tangent',
    };
  }
  const benchOp = OP_TO_BENCH[op];
  if (!benchOp) return { choice: { skip: `tfjs has no built-in for ${op}` }, inputsFor: same };
  return { choice: builtinFor(benchOp, layer), inputsFor: same };
}

/** The shape of every input: the operation's own when the network is a known op on a layer. */
export function runInputShapes(
  config: Pick<RunConfig, 'network' | 'unsimplified' | 'op' | 'layer' | 'builtinInputs'>,
): Record<string, number[]> {
  const net = config.unsimplified ?? config.network;
  if (config.op && config.layer && !config.builtinInputs) {
    const shapes = layerOpInput(config.op, config.layer).shapes;
    return Object.fromEntries(Object.entries(shapes).map(([name, s]) => [name, [...s]]));
  }
  return requireInputShapes(net);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, j) => s === b[j]);
}

/** Every input the network reads, in its shape; nothing else. */
export function checkUploaded(config: RunConfig, shapes: Record<string, number[]>): void {
  if (config.inputs.kind !== 'uploaded') return;
  const given = config.inputs.tensors;
  const want = Object.entries(shapes)
    .map(([n, s]) => `${n} [${s.join(', ')}]`)
    .join(', ');
  for (const name of Object.keys(given)) {
    if (!shapes[name])
      fail(`uploaded input '${name}' is not read by the network (it reads ${want})`);
  }
  for (const [name, shape] of Object.entries(shapes)) {
    const t = given[name];
    if (!t)
      fail(`input '${name}' [${shape.join(', ')}] was not uploaded (the network reads ${want})`);
    if (!sameShape(t.shape, shape)) {
      fail(
        `uploaded input '${name}' has shape [${t.shape.join(', ')}]; the network needs [${shape.join(', ')}]`,
      );
    }
    if (t.data.length !== product(shape))
      fail(`uploaded input '${name}' has ${t.data.length} values for shape [${shape.join(', ')}]`);
  }
}

function summary(c: Compiled): PlanSummary {
  return {
    algorithm: c.plan.algorithm,
    path: c.plan.path.map((p) => [...p]),
    flops: c.plan.flops,
    structuredFlops: c.plan.structuredFlops,
    predictedPeakBytes: c.program.peakBytes,
  };
}

/** Plans and lowers (pure) and refuses an over-budget network with a BudgetError. */
function compile(
  net: Network,
  shapes: Record<string, number[]>,
  config: RunConfig,
  what: string,
): Compiled {
  checkNetwork(net);
  checkNetworkLimits(net);
  const compiled = compileNetwork(net, shapes, {
    planOptions: { algorithm: config.planAlgorithm ?? 'auto' },
  });
  try {
    checkProgramBudget(compiled.program, config.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES);
  } catch (err) {
    if (err instanceof EinsketchError)
      throw new BudgetError(`${what}: ${err.message}; nothing was allocated`);
    throw err;
  }
  return compiled;
}

export function timing(m: Measurement): Timing {
  return {
    median: m.medianMs,
    min: Math.min(...m.runsMs),
    max: Math.max(...m.runsMs),
    runs: [...m.runsMs],
  };
}

function hostInputs(
  config: RunConfig,
  shapes: Record<string, number[]>,
): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  Object.entries(shapes).forEach(([name, shape], j) => {
    checkShapeLimits(shape, `input ${name}`);
    if (config.inputs.kind === 'seeded')
      out[name] = randomValues(product(shape), config.inputs.seed + j);
    else out[name] = Float32Array.from(config.inputs.tensors[name].data);
  });
  return out;
}

/** Why the float64 reference check is skipped, or undefined when it fits. */
export function referenceTooBig(c: Compiled): string | undefined {
  if (c.plan.flops > REFERENCE_MAX_FLOPS) {
    return `the float64 reference check was skipped: it would take ${c.plan.flops.toExponential(1)} dense FLOPs (limit ${REFERENCE_MAX_FLOPS.toExponential(0)}; a smaller batch or input makes it fit)`;
  }
  if (c.plan.largestIntermediate > REFERENCE_MAX_ELEMENTS) {
    return `the float64 reference check was skipped: its largest dense intermediate has ${c.plan.largestIntermediate} entries`;
  }
  return undefined;
}

export async function runJob(config: RunConfig, ctx: JobContext): Promise<RunResult> {
  const repeats = Math.max(1, Math.floor(config.repeats ?? 5));
  const warmup = Math.max(0, Math.floor(config.warmup ?? 1));
  const hasUnsimplified = config.unsimplified !== undefined;
  // Progress: TN, built-in and unsimplified measurements are (warmup + repeats + 1) runs each.
  const parts = 2 + (hasUnsimplified ? 1 : 0);
  const perPart = 0.9 / parts;
  let base = 0.05;
  const report = (
    stage: RunStage,
    fraction: number,
    message: string,
    partial?: Partial<RunResult>,
  ) => ctx.progress({ stage, fraction: Math.min(1, fraction), message, partial });

  report('plan', 0, 'planning and checking memory');
  const shapes = runInputShapes(config);
  checkUploaded(config, shapes);
  const main = compile(config.network, shapes, config, 'the network');
  const unsimplified = config.unsimplified
    ? compile(config.unsimplified, shapes, config, 'the unsimplified network')
    : undefined;
  const { choice, inputsFor, how } = builtinChoice(config);
  report('backend', 0.02, 'starting the backend');
  await ctx.checkpoint();
  const backend = await ctx.selectBackend(config.backend ?? 'webgpu', config.allowFallback ?? true);
  const partial: Partial<RunResult> = {
    backend: backend.name,
    fallbackReason: backend.fallbackReason,
    outputShape: [...config.network.resultShape],
    inputShapes: shapes,
    plan: summary(main),
  };
  report('inputs', 0.04, `uploading inputs to ${backend.name}`, partial);
  const host = hostInputs(config, shapes);
  const torch: Record<string, tf.Tensor> = {};
  for (const [name, data] of Object.entries(host))
    torch[name] = tf.tensor(data, shapes[name], 'float32');
  const exe = new Executable(main.program);
  let prepared: tf.Tensor[] = [];
  let unsExe: Executable | undefined;
  try {
    const measureCfg = (stage: RunStage, label: string) => ({
      runs: repeats,
      warmup,
      maxRunMs: Infinity,
      onRun: async (done: number, total: number) => {
        report(
          stage,
          base + (perPart * done) / total,
          `${label}: run ${done} of ${total}`,
          partial,
        );
        await ctx.checkpoint();
      },
    });
    const tn = (await measure(
      'engine',
      () => exe.run(torch),
      measureCfg('tn', 'tensor network'),
    )) as Measurement;
    base += perPart;
    partial.timeTn = timing(tn);
    partial.peakBytesTn = tn.peakBytes;
    const outTensor = exe.run(torch);
    // Copied out: a backend may hand back a view of memory it reuses for the next op.
    const tnOut = Float32Array.from(await outTensor.data());
    outTensor.dispose();
    await ctx.checkpoint();

    if ('builtin' in choice) {
      const b = choice.builtin;
      prepared = b.prepare(inputsFor(torch));
      const bm = (await measure(
        b.name,
        () => b.run(prepared),
        measureCfg('builtin', b.name),
      )) as Measurement;
      partial.timeBuiltin = timing(bm);
      partial.peakBytesBuiltin = bm.peakBytes;
      partial.builtinName = how ? `${b.name} ${how}` : b.name;
      const out = b.run(prepared);
      const asTorch = b.toTorch(out);
      const check = Float32Array.from(await asTorch.data());
      tf.dispose([out, asTorch]);
      if (check.length !== tnOut.length)
        throw new Error(`the built-in gave ${check.length} values, the network ${tnOut.length}`);
      partial.maxError = maxAbsDiff(tnOut, check);
      partial.maxAbs = maxAbs(check);
      partial.against = 'builtin';
    } else {
      partial.checkNote = `no built-in: ${choice.skip}`;
    }
    base += perPart;
    await ctx.checkpoint();

    if (partial.against === undefined) {
      const tooBig = referenceTooBig(main);
      if (tooBig) {
        report('check', base, 'float64 reference on a reduced copy', partial);
        const seed = config.inputs.kind === 'seeded' ? config.inputs.seed : 1;
        const reduced = await checkReducedCopy(config.network, seed);
        if ('skip' in reduced) {
          partial.against = 'none';
          partial.checkNote = `${partial.checkNote}; ${tooBig}; ${reduced.skip}`;
        } else {
          partial.maxError = reduced.maxError;
          partial.maxAbs = reduced.maxAbs;
          partial.against = 'reduced';
          partial.checkNote = `${partial.checkNote}; ${tooBig}; ${reduced.note}`;
        }
      } else {
        report('check', base, 'float64 reference evaluation', partial);
        const inputs: Inputs = Object.fromEntries(
          Object.entries(host).map(([name, data]) => [
            name,
            { shape: shapes[name], data: Float64Array.from(data) },
          ]),
        );
        const ref = evaluateReference(config.network, inputs, main.plan.path);
        partial.maxError = maxAbsDiff(tnOut, ref.data);
        partial.maxAbs = maxAbs(ref.data);
        partial.against = 'reference';
        partial.checkNote = `${partial.checkNote}; checked against the float64 reference evaluator`;
      }
    }
    report('check', base, 'checked', partial);
    await ctx.checkpoint();

    if (unsimplified) {
      const u = new Executable(unsimplified.program);
      unsExe = u;
      const um = (await measure(
        'unsimplified',
        () => u.run(torch),
        measureCfg('unsimplified', 'unsimplified network'),
      )) as Measurement;
      const out = u.run(torch);
      const data = Float32Array.from(await out.data());
      out.dispose();
      if (data.length !== tnOut.length)
        throw new Error(
          `the unsimplified network gave ${data.length} values, the simplified one ${tnOut.length}`,
        );
      partial.unsimplified = {
        timeTn: timing(um),
        peakBytesTn: um.peakBytes,
        plan: summary(unsimplified),
        maxDiff: maxAbsDiff(tnOut, data),
      };
    }
    const result = { against: 'none', ...partial } as RunResult;
    report('check', 1, 'done', result);
    return result;
  } finally {
    exe.dispose();
    unsExe?.dispose();
    tf.dispose([...Object.values(torch), ...prepared]);
  }
}
