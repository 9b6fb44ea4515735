import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../core/network.ts';
import {
  planNetwork,
  type ContractionPlan,
  type LinearPath,
  type PlanOptions,
} from '../core/planner/index.ts';
import type { DenseTensor } from '../core/tensor.ts';
import { Executable, type EngineInputs } from './execute.ts';
import { lowerNetwork, type LowerOptions } from './lower.ts';
import { checkProgramBudget } from './programMemory.ts';
import type { Program } from './program.ts';
import { GENERATED_KERNELS_COST } from './webgpu/kernelCost.ts';
import { KernelsUnsupported, lowerToKernels, type KernelChoice } from './webgpu/kernelLowering.ts';

/** Budget the CLI uses unless told otherwise: 1 GiB of live tensors. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

export interface CompileOptions extends LowerOptions {
  /** A plan to follow; by default planNetwork(net, planOptions). */
  plan?: ContractionPlan;
  planOptions?: PlanOptions;
  /** Refuse (EinsketchError naming the step) if live tensors would exceed this many bytes. */
  memoryBudgetBytes?: number;
  /**
   * Generated WebGPU kernels (webgpu/) instead of stock tfjs ops: by default when the
   * active backend is webgpu. Networks the generator does not cover fall back to the
   * tfjs-op lowering, with the reason in program.kernelFallback.
   */
  kernels?: boolean;
  /** 'tiled': the tiled kernel wherever it applies, however small (for tests). */
  kernelChoice?: KernelChoice;
  /** false: strided results in one kernel with divisibility tests, not split by phase (A/B tests). */
  phaseSplit?: boolean;
}

export interface Compiled {
  plan: ContractionPlan;
  program: Program;
}

/** Plans and lowers a network for inputs of the given shapes; allocates no tensor. */
export function compileNetwork(
  net: Network,
  inputShapes: Readonly<Record<string, readonly number[]>>,
  options: CompileOptions = {},
): Compiled {
  const kernels = options.kernels ?? tf.getBackend() === 'webgpu';
  // Generated kernels read Π in place: the plan is costed as they run it.
  const plan =
    options.plan ??
    planNetwork(
      net,
      kernels ? { costModel: GENERATED_KERNELS_COST, ...options.planOptions } : options.planOptions,
    );
  const budget = options.memoryBudgetBytes;
  // Counts what the engine really allocates (inputs, step results, transposed and padded
  // copies, gathered operands) before any tensor exists.
  const program = kernels
    ? lowerForWebGPU(net, plan.path, inputShapes, options)
    : lowerNetwork(net, plan.path, inputShapes, options);
  if (budget !== undefined) checkProgramBudget(program, budget);
  return { plan, program };
}

function lowerForWebGPU(
  net: Network,
  path: ContractionPlan['path'],
  shapes: Readonly<Record<string, readonly number[]>>,
  options: CompileOptions,
): Program {
  try {
    return lowerToKernels(net, path, shapes, options.kernelChoice, {
      phaseSplit: options.phaseSplit,
    });
  } catch (err) {
    if (!(err instanceof KernelsUnsupported)) throw err;
    const program = lowerNetwork(net, path, shapes, options);
    program.kernelFallback = err.message;
    return program;
  }
}

export function inputShapes(inputs: EngineInputs): Record<string, number[]> {
  return Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, [...t.shape]]));
}

export interface Evaluation {
  result: DenseTensor;
  /** The path that was actually run. */
  path: LinearPath;
  plan: ContractionPlan;
  program: Program;
}

/**
 * Evaluates a network on the active tfjs backend (float32) and returns the result on the
 * host as float64, in the network's PyTorch-layout result shape.
 */
export async function evaluateNetwork(
  net: Network,
  inputs: EngineInputs,
  options: CompileOptions = {},
): Promise<Evaluation> {
  const { plan, program } = compileNetwork(net, inputShapes(inputs), options);
  const exe = new Executable(program);
  try {
    const result = await exe.runToHost(inputs);
    return { result, path: plan.path, plan, program };
  } finally {
    exe.dispose();
  }
}

/** Evaluates into a tfjs tensor the caller owns (for the UI and benchmarks). */
export function evaluateToTensor(
  net: Network,
  inputs: EngineInputs,
  options: CompileOptions = {},
): tf.Tensor {
  const { program } = compileNetwork(net, inputShapes(inputs), options);
  const exe = new Executable(program);
  try {
    return exe.run(inputs);
  } finally {
    exe.dispose();
  }
}
