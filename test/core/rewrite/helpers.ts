import { expect } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import type { Network } from '../../../src/core/network.ts';
import { RULES, simplify, type RuleName } from '../../../src/core/rewrite/index.ts';
import type { Inputs } from '../../../src/core/tensor.ts';
import { evaluate } from './evaluateFast.ts';

export { evaluate };

/** Largest |a − b| relative to the largest |b| (both float64 evaluations of one value). */
export function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  let worst = 0;
  for (let j = 0; j < b.length; j++) {
    scale = Math.max(scale, Math.abs(b[j]));
    worst = Math.max(worst, Math.abs(a[j] - b[j]));
  }
  return worst / (scale || 1);
}

/** The fixture tolerance: |actual − expected| ≤ 1e-4·max|expected| + 1e-7 everywhere. */
export function withinFixtureTolerance(
  actual: ArrayLike<number>,
  expected: readonly number[],
): boolean {
  if (actual.length !== expected.length) return false;
  let scale = 0;
  for (const e of expected) scale = Math.max(scale, Math.abs(e));
  const tol = 1e-4 * scale + 1e-7;
  for (let j = 0; j < expected.length; j++)
    if (!(Math.abs(actual[j] - expected[j]) <= tol)) return false;
  return true;
}

export const only = (name: RuleName) => ({
  disabled: RULES.map((r) => r.name).filter((n) => n !== name),
});

/**
 * Checks that every rewrite keeps the value: every network of the full simplifier's log,
 * every rule applied once at every place it matches in the network, and each rule run
 * alone to its own fixed point. Returns the largest relative deviation and how
 * many distinct networks were checked. The log must be consistent: each step starts where the
 * previous one ended.
 */
export function checkRewrites(
  net: Network,
  inputs: Inputs,
): { worst: number; checked: number; steps: number; simplified: Network } {
  const base = evaluate(net, inputs);
  let worst = 0;
  let checked = 0;
  // Many rewrites lead to the same network (a rule alone often stops where the full log
  // passes); each distinct network is evaluated once.
  const seen = new Set<string>();
  const compare = (candidate: Network) => {
    const key = JSON.stringify(candidate);
    if (seen.has(key)) return;
    seen.add(key);
    expect(candidate.resultShape).toEqual(net.resultShape);
    worst = Math.max(worst, relativeDiff(evaluate(candidate, inputs).data, base.data));
    checked++;
  };
  const full = simplify(net);
  const chain = [net, ...full.steps.map((s) => s.network)];
  full.steps.forEach(({ step }, j) => {
    expect(step.before).toBe(formatEinsum(chain[j]));
    expect(step.after).toBe(formatEinsum(chain[j + 1]));
    expect(step.explanation.length).toBeGreaterThan(10);
    expect(step.tensors.length + step.legs.length).toBeGreaterThan(0);
  });
  for (const state of chain) compare(state);
  for (const rule of RULES)
    for (const match of rule.find(net)) compare(rule.apply(net, match).network);
  for (const rule of RULES) compare(simplify(net, only(rule.name)).network);
  return { worst, checked, steps: full.steps.length, simplified: full.network };
}
