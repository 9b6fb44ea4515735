import * as tf from '@tensorflow/tfjs-core';
import { EinsketchError, fail } from '../../core/errors.ts';
import { layerOpInput } from '../../core/layer.ts';
import { checkNetworkLimits, checkShapeLimits } from '../../core/limits.ts';
import { checkNetwork, product, type Network } from '../../core/network.ts';
import { requireInputShapes } from '../../core/notebook/build.ts';
import { evaluateReference } from '../../core/reference/evaluateReference.ts';
import type { Inputs } from '../../core/tensor.ts';
import type { BackendName } from '../../engine/backend.ts';
import {
  builtinFor,
  builtinSide,
  maxAbs,
  maxAbsDiff,
  measureSides,
  networkSide,
  profileSteps,
  randomValues,
  relativeFrobeniusError,
  smoothValues,
  uploadInputs,
  type BuiltinChoice,
  type Measurement,
  type Side,
} from '../../engine/bench/index.ts';
import {
  compileNetwork,
  DEFAULT_MEMORY_BUDGET_BYTES,
  type Compiled,
} from '../../engine/evaluate.ts';
import { checkProgramBudget } from '../../engine/programMemory.ts';
import { formatBytes } from '../../core/formatBytes.ts';
import { checkReducedCopy } from './reducedCheck.ts';
import type {
  PlanSummary,
  RunConfig,
  RunProgress,
  RunResult,
  RunStage,
  Timing,
} from './runMessages.ts';
import { sameShape } from '../../core/tensor.ts';

/**
 * One run of the run panel: checks and compiles the network (refusing it before any
 * allocation when it does not fit the memory budget), then on the active tfjs backend
 * times the tensor network and the built-in through the benchmark's pipeline
 * (src/engine/bench: interleaved rounds, same layouts in and out), and checks the result against the built-in or, where tfjs has none, the float64
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

/**
 * tfjs's own way to compute the network, when it is one operation of a layer: the
 * benchmark's built-in for that op (for the JVPs, the forward convolution on the tangent).
 */
export function builtinChoice(
  config: Pick<
    RunConfig,
    'op' | 'layer' | 'compareBuiltin' | 'builtinInputs' | 'memoryBudgetBytes'
  >,
): {
  choice: BuiltinChoice;
  inputsFor: (t: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;
} {
  const same = (t: Record<string, tf.Tensor>) => t;
  if (config.compareBuiltin === false)
    return { choice: { skip: 'built-in comparison turned off' }, inputsFor: same };
  if (!config.op || !config.layer)
    return { choice: { skip: 'the network is not one operation of a layer' }, inputsFor: same };
  const found = builtinFor(config.op, config.layer);
  const budget = config.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  // The network may fit where tfjs's own way does not (the Kronecker factors unfold the
  // input): then the run goes on without the built-in, checked against the reference.
  const bytes = 'builtin' in found ? (found.builtin.estimatedBytes ?? 0) : 0;
  const choice: BuiltinChoice =
    'builtin' in found && bytes > budget
      ? {
          skip: `the built-in (${found.builtin.name}) would hold about ${formatBytes(bytes)}, over the memory budget of ${formatBytes(budget)}`,
        }
      : found;
  const names = config.builtinInputs;
  if (!names) return { choice, inputsFor: same };
  // A recognised network reads its own inputs: hand them over under the operation's names.
  const shapes = layerOpInput(config.op, config.layer).shapes;
  return {
    choice,
    inputsFor: (t) =>
      Object.fromEntries(
        Object.entries(names).map(([op, mine]) => [op, tf.reshape(t[mine], [...shapes[op]])]),
      ),
  };
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
  kernels: boolean,
): Compiled {
  checkNetwork(net);
  checkNetworkLimits(net);
  const compiled = compileNetwork(net, shapes, {
    planOptions: { algorithm: config.planAlgorithm ?? 'auto' },
    kernels,
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
      out[name] =
        config.inputs.distribution === 'smooth'
          ? smoothValues(shape, config.inputs.seed + j)
          : randomValues(product(shape), config.inputs.seed + j);
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

/**
 * How far the network's result is from the network it estimates (e.g. a dropped weight
 * VJP from the exact one): that network is evaluated by the float64 reference on the same
 * host inputs, so the difference is the estimate's error, not rounding. Its cost is the
 * planner's dense FLOPs of each.
 */
function compareEstimated(
  estimated: Network,
  network: Network,
  main: Compiled,
  host: Record<string, Float32Array>,
  shapes: Record<string, number[]>,
  tnOut: ArrayLike<number>,
): { relativeError: number; relativeCost: number } {
  const want = requireInputShapes(estimated);
  const inputs: Inputs = {};
  for (const [name, shape] of Object.entries(want)) {
    if (!host[name] || shapes[name].join() !== shape.join())
      fail(
        `the estimated network's input ${name} [${shape.join(', ')}] is not an input of the same shape here`,
      );
    inputs[name] = { shape, data: Float64Array.from(host[name]) };
  }
  if (estimated.resultShape.join() !== network.resultShape.join())
    fail(
      `the estimated network's result [${estimated.resultShape.join(', ')}] differs from this one's [${network.resultShape.join(', ')}]`,
    );
  const exact = compileNetwork(estimated, want, { kernels: false });
  const tooBig = referenceTooBig(exact);
  if (tooBig) fail(`cannot compare with the estimated network: ${tooBig.replace(/^the /, '')}`);
  const ref = evaluateReference(estimated, inputs, exact.plan.path);
  return {
    relativeError: relativeFrobeniusError(tnOut, ref.data),
    relativeCost: main.plan.flops / exact.plan.flops,
  };
}

export async function runJob(config: RunConfig, ctx: JobContext): Promise<RunResult> {
  const repeats = Math.max(1, Math.floor(config.repeats ?? 5));
  const warmup = Math.max(0, Math.floor(config.warmup ?? 1));
  const report = (
    stage: RunStage,
    fraction: number,
    message: string,
    partial?: Partial<RunResult>,
  ) => ctx.progress({ stage, fraction: Math.min(1, fraction), message, partial });

  report('plan', 0, 'planning and checking memory');
  const shapes = runInputShapes(config);
  checkUploaded(config, shapes);
  // Compiled for the backend asked for (generated kernels on WebGPU) before any backend
  // starts, so an over-budget network is refused first; compiled again only on a fallback.
  const requested = config.backend ?? 'webgpu';
  const compileAll = (kernels: boolean) => ({
    main: compile(config.network, shapes, config, 'the network', kernels),
    unsimplified: config.unsimplified
      ? compile(config.unsimplified, shapes, config, 'the unsimplified network', kernels)
      : undefined,
  });
  let { main, unsimplified } = compileAll(requested === 'webgpu');
  const { choice, inputsFor } = builtinChoice(config);
  report('backend', 0.02, 'starting the backend');
  await ctx.checkpoint();
  const backend = await ctx.selectBackend(requested, config.allowFallback ?? true);
  if ((backend.name === 'webgpu') !== (requested === 'webgpu'))
    ({ main, unsimplified } = compileAll(backend.name === 'webgpu'));
  const partial: Partial<RunResult> = {
    backend: backend.name,
    fallbackReason: backend.fallbackReason,
    outputShape: [...config.network.resultShape],
    inputShapes: shapes,
    plan: summary(main),
  };
  report('inputs', 0.04, `uploading inputs to ${backend.name}`, partial);
  const host = hostInputs(config, shapes);
  const torch = uploadInputs(host, shapes);
  try {
    // TN, built-in and unsimplified network timed in interleaved rounds from the same
    // PyTorch-layout inputs to the same result layout (src/engine/bench/sides.ts).
    const sides: Side[] = [networkSide('engine', main.program, torch)];
    const stages: RunStage[] = ['tn'];
    if ('builtin' in choice) {
      sides.push(builtinSide(choice.builtin, inputsFor(torch)));
      stages.push('builtin');
    }
    if (unsimplified) {
      sides.push(networkSide('unsimplified', unsimplified.program, torch));
      stages.push('unsimplified');
    }
    const labels: Record<string, string> = {
      tn: 'tensor network',
      builtin: 'built-in',
      unsimplified: 'unsimplified network',
    };
    const outcomes = await measureSides(sides, {
      runs: repeats,
      warmup,
      maxRunMs: Infinity,
      onRun: async (done, total, side) => {
        report(
          stages[side],
          0.05 + (0.85 * done) / total,
          `${labels[stages[side]]}: run ${done} of ${total} (interleaved)`,
          partial,
        );
        await ctx.checkpoint();
      },
    });
    const [tn] = outcomes;
    const tnOut = tn.data!;
    partial.timeTn = timing(tn.measurement!);
    partial.peakBytesTn = tn.measurement!.extraBytes;
    let next = 1;

    if ('builtin' in choice) {
      const b = outcomes[next++];
      partial.timeBuiltin = timing(b.measurement!);
      partial.peakBytesBuiltin = b.measurement!.extraBytes;
      partial.builtinName = b.name;
      const check = b.data!;
      if (check.length !== tnOut.length)
        throw new Error(`the built-in gave ${check.length} values, the network ${tnOut.length}`);
      partial.maxError = maxAbsDiff(tnOut, check);
      partial.maxAbs = maxAbs(check);
      partial.against = 'builtin';
    } else {
      partial.checkNote = `no built-in: ${choice.skip}`;
    }
    report('check', 0.9, 'timing each step of the path', partial);
    await ctx.checkpoint();
    partial.steps = await profileSteps(main.program, torch);
    partial.kernelFallback = main.program.kernelFallback;
    report('check', 0.9, 'timed', partial);
    await ctx.checkpoint();

    if (partial.against === undefined) {
      const tooBig = referenceTooBig(main);
      if (tooBig) {
        report('check', 0.9, 'float64 reference on a reduced copy', partial);
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
        report('check', 0.9, 'float64 reference evaluation', partial);
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
    report('check', 0.95, 'checked', partial);
    await ctx.checkpoint();

    if (config.estimates) {
      report('check', 0.95, 'float64 reference of the estimated network', partial);
      partial.estimate = compareEstimated(
        config.estimates,
        config.network,
        main,
        host,
        shapes,
        tnOut,
      );
      report('check', 0.97, 'compared with the estimated network', partial);
      await ctx.checkpoint();
    }

    if (unsimplified) {
      const u = outcomes[next];
      const data = u.data!;
      if (data.length !== tnOut.length)
        throw new Error(
          `the unsimplified network gave ${data.length} values, the simplified one ${tnOut.length}`,
        );
      partial.unsimplified = {
        timeTn: timing(u.measurement!),
        peakBytesTn: u.measurement!.extraBytes,
        plan: summary(unsimplified),
        maxDiff: maxAbsDiff(tnOut, data),
      };
    }
    const result = { against: 'none', ...partial } as RunResult;
    report('check', 1, 'done', result);
    return result;
  } finally {
    tf.dispose(Object.values(torch));
  }
}
