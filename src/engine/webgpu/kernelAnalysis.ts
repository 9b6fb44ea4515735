import type { PatternRole } from '../../core/network.ts';
import { ROLES, type KernelSpec } from './kernelSpec.ts';

/**
 * Which legs a kernel enumerates and which it computes. Every index pattern Π[k, o, i]
 * ties its three legs by i = o·S + k·D − P, so one summed leg per Π need not be looped
 * over: it is computed from the other two (and checked to be in range). The rest of the
 * summed legs are loops (direct kernel) or the reduction dimension (tiled kernel).
 */

export interface Derivation {
  pattern: number;
  role: PatternRole;
  leg: string;
}

export interface KernelAnalysis {
  /** Result legs without repeats, in order. */
  outputLegs: string[];
  summed: string[];
  /** Computed legs, in an order where each one's inputs come before it. */
  derived: Derivation[];
  /** Summed legs that are enumerated. */
  loops: string[];
  /** Patterns with no computed leg: evaluated as a 0/1 predicate on three known legs. */
  predicates: number[];
}

const ROLE_PREFERENCE: readonly PatternRole[] = ['i', 'o', 'k'];

export function legsOfSpec(spec: KernelSpec): string[] {
  const seen = new Set<string>();
  for (const op of spec.operands) for (const l of op.legs) seen.add(l);
  for (const p of spec.patterns) for (const r of ROLES) seen.add(p.legs[r]);
  for (const l of spec.output) seen.add(l);
  return [...seen];
}

/**
 * `allowed(leg, pattern)` restricts which legs may be computed (the tiled kernel computes
 * only legs private to one side of the product).
 */
export function analyzeKernel(
  spec: KernelSpec,
  allowed: (leg: string, pattern: number) => boolean = () => true,
): KernelAnalysis {
  const outputLegs = [...new Set(spec.output)];
  const out = new Set(outputLegs);
  const all = legsOfSpec(spec);
  const summed = all.filter((l) => !out.has(l));
  const onOperands = new Set(spec.operands.flatMap((o) => o.legs));
  const patternUses = new Map<string, number>();
  for (const p of spec.patterns)
    for (const r of ROLES) patternUses.set(p.legs[r], (patternUses.get(p.legs[r]) ?? 0) + 1);

  const chosen = new Map<number, Derivation>();
  const taken = new Set<string>();
  spec.patterns.forEach((p, j) => {
    const legs = ROLES.map((r) => p.legs[r]);
    if (new Set(legs).size !== 3) return;
    const candidates = ROLE_PREFERENCE.filter(
      (r) => !out.has(p.legs[r]) && !taken.has(p.legs[r]) && allowed(p.legs[r], j),
    );
    // A leg nothing else reads (the hidden o of Π̄) first: computing it removes a loop for
    // free. Except that computing o from i loops over all I positions and drops those
    // (i + P − k·D) that S does not divide; computing i from o loops over the O it reaches,
    // with no division: taken whenever that loop is no longer.
    let hidden = candidates.find(
      (r) => !onOperands.has(p.legs[r]) && patternUses.get(p.legs[r]) === 1,
    );
    if (hidden === 'o' && candidates.includes('i') && p.params.outputSize <= p.params.inputSize)
      hidden = 'i';
    const role = hidden ?? candidates[0];
    if (role === undefined) return;
    chosen.set(j, { pattern: j, role, leg: p.legs[role] });
    taken.add(p.legs[role]);
  });

  // Order the computations; a cycle (two patterns each computing the other's input) is
  // broken by turning one of them back into a predicate.
  const derived: Derivation[] = [];
  const known = new Set(all.filter((l) => !taken.has(l)));
  let pending = [...chosen.values()];
  while (pending.length) {
    const ready = pending.find((d) =>
      ROLES.every((r) => r === d.role || known.has(spec.patterns[d.pattern].legs[r])),
    );
    if (ready) {
      derived.push(ready);
      known.add(ready.leg);
      pending = pending.filter((d) => d !== ready);
    } else {
      const dropped = pending.pop()!;
      chosen.delete(dropped.pattern);
      taken.delete(dropped.leg);
      known.add(dropped.leg);
    }
  }
  const derivedLegs = new Set(derived.map((d) => d.leg));
  const predicates = spec.patterns.flatMap((_, j) =>
    derived.some((d) => d.pattern === j) ? [] : [j],
  );
  return {
    outputLegs,
    summed,
    derived,
    loops: summed.filter((l) => !derivedLegs.has(l)),
    predicates,
  };
}
