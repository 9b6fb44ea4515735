import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { planNetwork } from '../../src/core/planner/index.ts';
import { GENERATED_KERNELS_COST } from '../../src/engine/webgpu/kernelCost.ts';
import { measuredSteps, plannedKernels } from '../../src/ui/editor/model/planKernels.ts';
import { PRESET_LAYER_2D } from '../helpers/smallPresets.ts';

describe('what runs each step of the plan', () => {
  const layer = { ...PRESET_LAYER_2D, stride: [2, 2] };
  const net = buildLayerNetwork('conv_input_vjp', layer);
  const plan = planNetwork(net, { costModel: GENERATED_KERNELS_COST });

  it('names the generated kernel at the step that joins the data tensors, and none where Π rides on one', () => {
    const { steps, fallback } = plannedKernels(net, plan);
    expect(fallback).toBeUndefined();
    expect(steps).toHaveLength(plan.steps.length);
    plan.steps.forEach((step, k) => {
      if (step.kind === 'view') expect(steps[k].kinds).toEqual([]);
      else expect(steps[k].kinds.length).toBeGreaterThan(0);
    });
    // A strided input VJP is split by phase.
    expect(steps.flatMap((s) => s.kinds)).toContain('phased');
  });

  it('shows a run’s step times only when the run took this path', () => {
    const last = plan.steps.length - 1;
    const run = {
      path: plan.path,
      steps: [
        { step: 0, kinds: ['phased'], result: [], planStep: last, ms: 3 },
        { step: 1, kinds: ['direct'], result: [], ms: 9 }, // leftovers: no plan step
      ],
    };
    const measured = measuredSteps(plan, run)!;
    expect(measured[last]).toEqual({ kinds: ['phased'], ms: 3 });
    expect(measured.slice(0, last).every((s) => s.ms === undefined)).toBe(true);
    expect(measuredSteps(plan, { ...run, path: [[1, 0], ...plan.path.slice(1)] })).toBeUndefined();
    expect(measuredSteps(plan, { path: plan.path, steps: [] })).toBeUndefined();
  });
});
