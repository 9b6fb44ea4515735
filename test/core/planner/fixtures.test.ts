import { describe, expect, it } from 'vitest';
import { getOperation } from '../../../src/core/ops/index.ts';
import { parseEinsum } from '../../../src/core/einsum/index.ts';
import {
  ALGORITHM_NAMES,
  pathCost,
  planEinsum,
  planNetwork,
  type PlanAlgorithm,
} from '../../../src/core/planner/index.ts';
import type { Network } from '../../../src/core/network.ts';
import { loadFixtures, type FixtureCase } from '../../helpers/fixtures.ts';

/**
 * Plan quality on the PyTorch reference cases: `dense_plan.optimal_flops` is the FLOP
 * count of the best order opt_einsum found for einconv's equation with dense costs. Our
 * paths must never cost more. The numbers are read from the fixture at run time.
 */

const cases = loadFixtures().filter(
  (c): c is FixtureCase & { dense_plan: NonNullable<FixtureCase['dense_plan']> } => !!c.dense_plan,
);

function libraryNetwork(c: FixtureCase): Network {
  const shapes = Object.fromEntries(
    Object.entries(c.request.tensors).map(([name, t]) => [name, t.shape]),
  );
  return getOperation(c.request.op).build({ ...c.request, shapes });
}

/** Dense FLOPs of a path by cost.ts's own walk (independent of the planner's model). */
function denseFlops(net: Network, path: number[][]): number {
  return pathCost(
    net.tensors.map((t) => t.legs),
    net.output,
    net.sizes,
    path,
  ).flops;
}

describe('plans of the fixture equations (dense costs)', () => {
  it('has dense plans to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  for (const algorithm of ['auto', 'optimal'] as PlanAlgorithm[]) {
    it(`${algorithm}: never above opt_einsum's optimum, and the reported FLOPs are the path's`, () => {
      let equal = 0;
      const below: string[] = [];
      for (const c of cases) {
        const { equation, shapes, optimal_flops } = c.dense_plan;
        const plan = planEinsum(equation, shapes, { algorithm });
        expect(plan.flops, c.id).toBeLessThanOrEqual(optimal_flops);
        expect(denseFlops(parseEinsum(equation, shapes), plan.path), c.id).toBe(plan.flops);
        if (plan.flops === optimal_flops) equal++;
        else below.push(`${c.id} ${plan.flops} < ${optimal_flops}`);
      }
      expect(equal + below.length).toBe(cases.length);
      console.log(
        `${algorithm}: ${equal} of ${cases.length} equal opt_einsum's optimum, ${below.length} below it`,
      );
    });
  }

  it('every algorithm gives valid paths whose FLOPs are what it reports', () => {
    for (const c of cases) {
      const { equation, shapes } = c.dense_plan;
      const net = parseEinsum(equation, shapes);
      for (const algorithm of ALGORITHM_NAMES) {
        const plan = planEinsum(equation, shapes, { algorithm });
        expect(denseFlops(net, plan.path), `${c.id} ${algorithm}`).toBe(plan.flops);
      }
    }
  });
});

describe('plans of the library networks of the same cases', () => {
  it("dense objective: never above the optimum of einconv's equation", () => {
    for (const c of cases) {
      const net = libraryNetwork(c);
      const plan = planNetwork(net, { objective: 'dense' });
      expect(plan.flops, c.id).toBeLessThanOrEqual(c.dense_plan.optimal_flops);
      expect(denseFlops(net, plan.path), c.id).toBe(plan.flops);
    }
  });

  it('structured objective: no more structured FLOPs than the dense-optimal path, dense FLOPs still reported', () => {
    for (const c of cases) {
      const net = libraryNetwork(c);
      const structured = planNetwork(net);
      const dense = planNetwork(net, { objective: 'dense' });
      expect(structured.objective).toBe('structured');
      expect(structured.structuredFlops, c.id).toBeLessThanOrEqual(dense.structuredFlops);
      expect(dense.flops, c.id).toBeLessThanOrEqual(structured.flops);
      expect(denseFlops(net, structured.path), c.id).toBe(structured.flops);
    }
  });

  it('auto picks the exact search for these sizes', () => {
    for (const c of cases) expect(planNetwork(libraryNetwork(c)).algorithm).toBe('optimal');
  });
});
