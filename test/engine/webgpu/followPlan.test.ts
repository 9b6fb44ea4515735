import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLayerNetwork, layerOpInput } from '../../../src/core/layer.ts';
import { OP_NAMES } from '../../../src/core/ops/index.ts';
import { linearToSsa, planNetwork } from '../../../src/core/planner/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { followPlan } from '../../../src/engine/webgpu/followPlan.ts';
import { GENERATED_KERNELS_COST } from '../../../src/engine/webgpu/kernelCost.ts';
import { KernelsUnsupported, lowerToKernels } from '../../../src/engine/webgpu/kernelLowering.ts';
import { PRESET_LAYER_2D } from '../../helpers/smallPresets.ts';

describe('the generated kernels follow the plan', () => {
  it('reads a convolution plan (x, Π₁, Π₂, W) as one kernel at the step that joins x and W', () => {
    // x = 0, Π₁ = 1, Π₂ = 2, W = 3: patterns ride on a data tensor, so only x and W count.
    const hostOf = [0, undefined, undefined, 1];
    expect(
      followPlan(
        [
          [0, 1],
          [0, 2],
          [0, 1],
        ],
        hostOf,
        2,
      ),
    ).toEqual({
      path: [[0, 1]],
      planSteps: [2],
    });
    // Π₂ joins W first (a view on either side costs nothing): still one kernel, at the end.
    expect(
      followPlan(
        [
          [2, 3],
          [0, 1],
          [0, 1],
        ],
        hostOf,
        2,
      )?.planSteps,
    ).toEqual([2]);
  });

  it('follows the order in which the plan joins three data tensors', () => {
    // A = 0, B = 1, Π = 2, C = 3; the plan joins B·C first, then Π, then A.
    expect(
      followPlan(
        [
          [1, 3],
          [1, 2],
          [0, 1],
        ],
        [0, 1, undefined, 2],
        3,
      ),
    ).toEqual({
      path: [
        [1, 2],
        [0, 1],
      ],
      planSteps: [0, 2],
    });
    // Three in one planner step: two kernels, both for that step.
    expect(followPlan([[0, 1, 2]], [0, 1, 2], 3)?.planSteps).toEqual([0, 0]);
  });

  it('refuses a partial path', () => {
    expect(followPlan([[0, 1]], [0, 1, 2], 3)).toBeUndefined();
  });

  it('gives a complete path over the operands for any plan it follows', () => {
    const problem = fc.integer({ min: 2, max: 7 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }), {
          minLength: n,
          maxLength: n,
        }),
        fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
      ),
    );
    fc.assert(
      fc.property(problem, ([n, loose, picks]) => {
        // n data tensors, then patterns, δs and scalars (undefined) among them.
        const hostOf = [...Array.from({ length: n }, (_, h) => h), ...loose.map(() => undefined)];
        const count = hostOf.length;
        const path: number[][] = [];
        for (let left = count; left > 1; left--) {
          const a = picks[path.length % picks.length] % left;
          const b = (a + 1 + (picks[(path.length + 1) % picks.length] % (left - 1))) % left;
          path.push([Math.min(a, b), Math.max(a, b)]);
        }
        const followed = followPlan(path, hostOf, n);
        if (!followed) return;
        expect(followed.path).toHaveLength(n - 1);
        expect(followed.planSteps).toHaveLength(n - 1);
        // A valid linear path that ends in one operand.
        expect(
          linearToSsa(followed.path, n)
            .flat()
            .sort((x, y) => x - y),
        ).toEqual(Array.from({ length: 2 * n - 2 }, (_, k) => k));
        for (const s of followed.planSteps) expect(s).toBeLessThan(path.length);
      }),
    );
  });

  it('runs a kernel only at the fused steps of every operation’s plan, as built and simplified', () => {
    const layer = PRESET_LAYER_2D;
    let followed = 0;
    for (const op of OP_NAMES) {
      let built;
      try {
        built = buildLayerNetwork(op, layer);
      } catch {
        continue; // the operation does not apply to this layer
      }
      for (const net of [built, simplify(built).network]) {
        const plan = planNetwork(net, { costModel: GENERATED_KERNELS_COST });
        const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
        let program;
        try {
          program = lowerToKernels(net, plan.path, shapes);
        } catch (err) {
          if (err instanceof KernelsUnsupported) continue;
          throw err;
        }
        // A step that names a kernel made one: rewriting the last kernel to write the
        // result adds no step of its own.
        const kernels = program.instrs.filter((i) => i.op === 'kernel' || i.op === 'phased');
        const naming = program.steps.filter((s) => s.kinds.some((k) => k !== 'lazy'));
        expect(naming.length, `${op}: ${naming.map((s) => s.kinds)}`).toBeLessThanOrEqual(
          kernels.length,
        );
        const kernelSteps = program.steps.filter((s) => s.step < program.steps.length);
        if (kernelSteps.some((s) => s.planStep !== undefined)) followed++;
        for (const s of kernelSteps) {
          if (s.planStep === undefined) continue;
          const kind = plan.steps[s.planStep].kind;
          expect(
            kind,
            `${op}: step ${s.step} ran ${s.kinds.join('+')} for a ${kind} step`,
          ).not.toBe('view');
        }
      }
    }
    expect(followed).toBeGreaterThan(OP_NAMES.length);
  });
});
