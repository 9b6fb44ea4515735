import type * as tf from '@tensorflow/tfjs-core';
import { Executable } from '../execute.ts';
import type { Program } from '../program.ts';

/** Measured time of one step of the contraction path, with what ran it. */
export interface StepTime {
  /** Path step (0-based); the program's steps, after the path for the final reordering. */
  step: number;
  /** What the lowering made of it: 'tiled' / 'direct' (generated kernels), 'matmul', 'gather', … */
  kinds: string[];
  /** Indices of the step's result. */
  result: string[];
  /** The planner step it carries out (undefined: leftovers, or a path of the lowering's own). */
  planStep?: number;
  ms: number;
}

/**
 * One more run of the program, instruction by instruction, each awaited (Executable.profile),
 * summed per step of the path. Instructions before the path (inputs as views) are not a
 * step and are left out. Slower than a timed run: the waits add up, so the step times are
 * for comparing steps with one another, not with the median.
 */
export async function profileSteps(
  program: Program,
  inputs: Record<string, tf.Tensor>,
): Promise<StepTime[]> {
  const exe = new Executable(program);
  try {
    const times = await exe.profile(inputs);
    const ms = new Map<number, number>();
    for (const t of times) if (t.step >= 0) ms.set(t.step, (ms.get(t.step) ?? 0) + t.ms);
    return program.steps
      .filter((s) => ms.has(s.step))
      .map((s) => ({
        step: s.step,
        kinds: [...s.kinds],
        result: [...s.result],
        planStep: s.planStep,
        ms: ms.get(s.step)!,
      }));
  } finally {
    exe.dispose();
  }
}
