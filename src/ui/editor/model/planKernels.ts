import { errorMessage } from '../../../core/errors.ts';
import type { Network } from '../../../core/network.ts';
import { requireInputShapes } from '../../../core/notebook/build.ts';
import type { ContractionPlan } from '../../../core/planner/index.ts';
import type { Program } from '../../../engine/program.ts';
import { KernelsUnsupported, lowerToKernels } from '../../../engine/webgpu/kernelLowering.ts';
import type { StepTime } from '../../../engine/bench/stepProfile.ts';

/**
 * What runs each step of a plan: on WebGPU, the generated kernels (read off the lowered
 * program, no GPU needed), and after a run of the same network along the same path, the
 * time each step took in its profiled run.
 */
export interface PlanStepRun {
  /** What ran the step ('tiled', 'direct', 'phased', 'matmul', …); empty: nothing (a view). */
  kinds: string[];
  ms?: number;
}

export interface PlanKernels {
  /** Per plan step (0-based). */
  steps: PlanStepRun[];
  /** Why the generated kernels do not run this network (the tfjs ops do). */
  fallback?: string;
}

/** Kernel steps of a program gathered per plan step. */
function byPlanStep(
  planSteps: number,
  programSteps: readonly { planStep?: number; kinds: readonly string[]; ms?: number }[],
): PlanStepRun[] {
  const out: PlanStepRun[] = Array.from({ length: planSteps }, () => ({ kinds: [] }));
  for (const s of programSteps) {
    if (s.planStep === undefined || !out[s.planStep]) continue;
    const run = out[s.planStep];
    run.kinds = [...new Set([...run.kinds, ...s.kinds.filter((k) => k !== 'lazy')])];
    if (s.ms !== undefined) run.ms = (run.ms ?? 0) + s.ms;
  }
  return out;
}

/** The generated kernels for each step of `plan`, or why there are none. */
export function plannedKernels(net: Network, plan: ContractionPlan): PlanKernels {
  let program: Program;
  try {
    program = lowerToKernels(net, plan.path, requireInputShapes(net));
  } catch (err) {
    const reason = err instanceof KernelsUnsupported ? err.message : errorMessage(err);
    return { steps: byPlanStep(plan.steps.length, []), fallback: reason };
  }
  return { steps: byPlanStep(plan.steps.length, program.steps) };
}

/** A run's profiled steps per plan step, when it ran `plan`'s path. */
export function measuredSteps(
  plan: ContractionPlan,
  run: { path: readonly (readonly number[])[]; steps?: readonly StepTime[] },
): PlanStepRun[] | undefined {
  if (!run.steps?.length || JSON.stringify(run.path) !== JSON.stringify(plan.path))
    return undefined;
  return byPlanStep(plan.steps.length, run.steps);
}
