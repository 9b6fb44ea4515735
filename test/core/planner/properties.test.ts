import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../../src/core/network.ts';
import {
  evaluatePath,
  pathCost,
  problemFromNetwork,
  planNetwork,
  sequentialPath,
  type ContractionPlan,
  type PlanAlgorithm,
  type PlanObjective,
} from '../../../src/core/planner/index.ts';
import { allPaths, denseNetwork, structuredNetwork } from './random.ts';

/** Objective first, the other cost as tie-break, as the planner orders paths. */
function rank(
  plan: { flops: number; structuredFlops: number },
  objective: PlanObjective,
): [number, number] {
  return objective === 'dense'
    ? [plan.flops, plan.structuredFlops]
    : [plan.structuredFlops, plan.flops];
}

function notWorse(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
}

/** The path is well formed and ends in the output's legs; cost.ts's walk agrees on FLOPs. */
function expectValid(net: Network, plan: ContractionPlan): void {
  const cost = pathCost(
    net.tensors.map((t) => t.legs),
    net.output,
    net.sizes,
    plan.path,
  );
  expect(cost.flops).toBe(plan.flops);
  const pairs = plan.path.filter((g) => g.length === 2).length;
  expect(pairs).toBe(Math.max(0, net.tensors.length - 1));
  expect(plan.path.every((g) => g.length === 1 || g.length === 2)).toBe(true);
  expect(new Set(cost.steps[cost.steps.length - 1].result)).toEqual(new Set(net.output));
  expect(plan.steps.length).toBe(plan.path.length);
}

const plan = (net: Network, algorithm: PlanAlgorithm, objective: PlanObjective) =>
  planNetwork(net, { algorithm, objective, timeBudgetMs: 10_000 });

describe('dense networks (opt_einsum costs)', () => {
  it('optimal ≤ greedy ≤ operand order, and every path is valid', () => {
    fc.assert(
      fc.property(denseNetwork(2, 7), (net) => {
        const opt = plan(net, 'optimal', 'dense');
        const greedy = plan(net, 'greedy', 'dense');
        const seq = plan(net, 'sequential', 'dense');
        for (const p of [opt, greedy, seq]) expectValid(net, p);
        expect(opt.flops).toBeLessThanOrEqual(greedy.flops);
        expect(greedy.flops).toBeLessThanOrEqual(seq.flops);
        expect(seq.path).toEqual(sequentialPath(net.tensors.length));
      }),
      { numRuns: 150 },
    );
  });

  it('optimal equals the minimum over every order of pairwise steps, each operand optionally summed over its own legs first (≤ 5 operands), by cost.ts', () => {
    fc.assert(
      fc.property(denseNetwork(2, 5), (net) => {
        const legs = net.tensors.map((t) => t.legs);
        let best = Infinity;
        for (const path of allPaths(net))
          best = Math.min(best, pathCost(legs, net.output, net.sizes, path).flops);
        expect(plan(net, 'optimal', 'dense').flops).toBe(best);
        expect(plan(net, 'branch-bound', 'dense').flops).toBe(best);
      }),
      { numRuns: 120 },
    );
  }, 60_000);

  it('random-greedy ≤ greedy, auto = optimal at these sizes', () => {
    fc.assert(
      fc.property(denseNetwork(3, 8), (net) => {
        const greedy = plan(net, 'greedy', 'dense');
        const random = plan(net, 'random-greedy', 'dense');
        expectValid(net, random);
        expect(random.flops).toBeLessThanOrEqual(greedy.flops);
        expect(plan(net, 'auto', 'dense').flops).toBe(plan(net, 'optimal', 'dense').flops);
      }),
      { numRuns: 60 },
    );
  });
});

describe('networks with index patterns, deltas and scalars (structured costs)', () => {
  it('optimal ≤ greedy ≤ operand order under the structured objective, valid paths', () => {
    fc.assert(
      fc.property(structuredNetwork(7), (net) => {
        const opt = plan(net, 'optimal', 'structured');
        const greedy = plan(net, 'greedy', 'structured');
        const seq = plan(net, 'sequential', 'structured');
        for (const p of [opt, greedy, seq]) expectValid(net, p);
        expect(notWorse(rank(opt, 'structured'), rank(greedy, 'structured'))).toBe(true);
        expect(notWorse(rank(greedy, 'structured'), rank(seq, 'structured'))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  for (const objective of ['structured', 'dense'] as PlanObjective[]) {
    it(`${objective} objective: optimal and branch-bound equal the best of every order, operand sums included (≤ 5 operands)`, () => {
      fc.assert(
        fc.property(structuredNetwork(5), (net) => {
          let best: [number, number] = [Infinity, Infinity];
          const problem = problemFromNetwork(net, objective);
          for (const path of allPaths(net)) {
            const r = rank(evaluatePath(problem, path), objective);
            if (!notWorse(best, r)) best = r;
          }
          expect(rank(plan(net, 'optimal', objective), objective)).toEqual(best);
          expect(rank(plan(net, 'branch-bound', objective), objective)).toEqual(best);
        }),
        { numRuns: 100 },
      );
    }, 60_000);
  }

  it('random-greedy is never worse than greedy', () => {
    fc.assert(
      fc.property(structuredNetwork(7), (net) => {
        const greedy = plan(net, 'greedy', 'structured');
        const random = plan(net, 'random-greedy', 'structured');
        expectValid(net, random);
        expect(notWorse(rank(random, 'structured'), rank(greedy, 'structured'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
