import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '../core/network.ts';
import { planNetwork, type ContractionPlan, type LinearPath, type PlanOptions } from '../core/planner/index.ts';
import type { DenseTensor } from '../core/tensor.ts';
import { Executable, type EngineInputs } from './execute.ts';
import { lowerNetwork, type LowerOptions } from './lower.ts';
import { checkProgramBudget } from './memory.ts';
import type { Program } from './program.ts';

/** Budget the CLI uses unless told otherwise: 1 GiB of live tensors. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

export interface CompileOptions extends LowerOptions {
  /** A plan to follow; by default planNetwork(net, planOptions). */
  plan?: ContractionPlan;
  planOptions?: PlanOptions;
  /** Refuse (EinsketchError naming the step) if live tensors would exceed this many bytes. */
  memoryBudgetBytes?: number;
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
  const plan = options.plan ?? planNetwork(net, options.planOptions);
  const budget = options.memoryBudgetBytes;
  // Counts what the engine really allocates (inputs, step results, transposed and padded
  // copies, gathered operands) before any tensor exists.
  const program = lowerNetwork(net, plan.path, inputShapes, options);
  if (budget !== undefined) checkProgramBudget(program, budget);
  return { plan, program };
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
export async function evaluateNetwork(net: Network, inputs: EngineInputs, options: CompileOptions = {}): Promise<Evaluation> {
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
export function evaluateToTensor(net: Network, inputs: EngineInputs, options: CompileOptions = {}): tf.Tensor {
  const { program } = compileNetwork(net, inputShapes(inputs), options);
  const exe = new Executable(program);
  try {
    return exe.run(inputs);
  } finally {
    exe.dispose();
  }
}
