import { describe, expect, it } from 'vitest';
import type { PatternParams } from '../../../src/core/network.ts';
import type { KernelSpec } from '../../../src/engine/webgpu/kernelSpec.ts';
import { phaseOf, splitPhases } from '../../../src/engine/webgpu/phaseSplit.ts';
import { generate } from '../../../src/engine/webgpu/kernelLowering.ts';
import { rng } from '../../helpers/random.ts';

/**
 * The phase split without a GPU: the phases' stride-1 patterns, read back through their
 * taps (k = k₀ + j·S/g) and positions (i = S·u + ρ), cover Π[k, o, i] exactly once.
 */

function pattern(I: number, K: number, S: number, D: number, P: number): PatternParams {
  const O = Math.floor((I + 2 * P - D * (K - 1) - 1) / S) + 1;
  return {
    inputSize: I,
    kernelSize: K,
    stride: S,
    dilation: D,
    padLeft: P,
    padRight: P,
    outputSize: O,
  };
}

/** The support of Π as "k,o,i" strings. */
function support(p: PatternParams): string[] {
  const out: string[] = [];
  for (let k = 0; k < p.kernelSize; k++) {
    for (let o = 0; o < p.outputSize; o++) {
      const i = o * p.stride + k * p.dilation - p.padLeft;
      if (i >= 0 && i < p.inputSize) out.push(`${k},${o},${i}`);
    }
  }
  return out;
}

/** What the phases cover, mapped back to the full pattern's legs; and which phases are empty. */
function covered(p: PatternParams): { triples: string[]; empty: number[] } {
  const triples: string[] = [];
  const empty: number[] = [];
  for (let rho = 0; rho < Math.min(p.stride, p.inputSize); rho++) {
    const phase = phaseOf(p, rho);
    if (!phase) {
      empty.push(rho);
      continue;
    }
    expect(phase.params.stride).toBe(1);
    for (const t of support(phase.params)) {
      const [j, o, u] = t.split(',').map(Number);
      triples.push(`${phase.k0 + j * phase.tapStride},${o},${p.stride * u + rho}`);
    }
  }
  return { triples, empty };
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

describe('phase split of a strided pattern', () => {
  it('covers Π exactly once on random geometries (strides 2–4, dilations 1–4, padding), empty phases included', () => {
    const next = rng(11);
    const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
    let emptyPhases = 0;
    let cropped = 0;
    let trials = 0;
    while (trials < 400) {
      const S = pick(2, 4);
      const D = pick(1, 4);
      const K = pick(1, 6);
      const P = pick(0, 3);
      const I = pick(1, 17);
      const p = pattern(I, K, S, D, P);
      if (p.outputSize < 1) continue;
      trials++;
      const { triples, empty } = covered(p);
      expect(new Set(triples).size, JSON.stringify(p)).toBe(triples.length);
      expect(triples.sort(), JSON.stringify(p)).toEqual(support(p).sort());
      emptyPhases += empty.length;
      // The spec-level split reads the kernel at k₀ + j·S/g and writes i = S·u + ρ.
      const spec: KernelSpec = {
        sizes: { k: K, o: p.outputSize, i: I },
        operands: [
          { input: 0, legs: ['k'], strides: [1], offset: 0 },
          { input: 1, legs: ['o'], strides: [1], offset: 0 },
        ],
        inputs: 2,
        patterns: [{ params: p, legs: { k: 'k', o: 'o', i: 'i' } }],
        output: ['i'],
        scale: 1,
      };
      const split = splitPhases(spec)!;
      const reached = Array.from({ length: Math.min(S, I) }, (_, rho) => rho).filter((rho) =>
        phaseOf(p, rho),
      );
      expect(split.zeroFill).toBe(empty.length > 0);
      expect(
        split.phases.map((ph) => [
          ph.spec.operands[0].offset,
          ph.spec.operands[0].strides[0],
          ph.spec.store,
        ]),
      ).toEqual(
        reached.map((rho) => [phaseOf(p, rho)!.k0, S / gcd(S, D), { strides: [S], offset: rho }]),
      );
      for (let rho = 0; rho < Math.min(S, I); rho++)
        if ((phaseOf(p, rho)?.params.padLeft ?? 0) < 0) cropped++;
    }
    // The random geometries reach the corners the split must get right.
    expect(emptyPhases).toBeGreaterThan(0);
    expect(cropped).toBeGreaterThan(0);
  });

  it('a 1×1 stride-2 input VJP is a plain product written at every other position, the rest zero', () => {
    const p = pattern(6, 1, 2, 1, 0);
    const spec: KernelSpec = {
      sizes: { co: 4, ci: 3, k: 1, o: 3, i: 6 },
      operands: [
        { input: 0, legs: ['co', 'ci', 'k'], strides: [3, 1, 1], offset: 0 },
        { input: 1, legs: ['co', 'o'], strides: [3, 1], offset: 0 },
      ],
      inputs: 2,
      patterns: [{ params: p, legs: { k: 'k', o: 'o', i: 'i' } }],
      output: ['ci', 'i'],
      scale: 1,
    };
    const split = splitPhases(spec)!;
    expect(split.zeroFill).toBe(true);
    expect(split.phases).toHaveLength(1);
    const [phase] = split.phases;
    expect(phase.spec.store).toEqual({ strides: [6, 2], offset: 0 });
    expect(phase.spec.sizes.i).toBe(3);
    expect(phase.spec.patterns[0].params).toMatchObject({
      stride: 1,
      kernelSize: 1,
      inputSize: 3,
      outputSize: 3,
      padLeft: 0,
    });
    // The emitted WGSL has no divisibility test and writes through the store view.
    const kernel = generate(phase.spec);
    expect(kernel.source).not.toMatch(/ % 2 != 0/);
    expect(kernel.source).toMatch(/\* 2\b/);
    // Without the split the same spec tests divisibility.
    expect(generate(spec).source).toMatch(/% 2 != 0/);
  });

  it('reads the kernel at the phase taps and writes the result at the phase positions (3×3, stride 2, padding 1)', () => {
    const p = pattern(8, 3, 2, 1, 1);
    const spec: KernelSpec = {
      sizes: { co: 2, ci: 2, k: 3, o: p.outputSize, i: 8 },
      operands: [
        { input: 0, legs: ['co', 'ci', 'k'], strides: [6, 3, 1], offset: 0 },
        { input: 1, legs: ['co', 'o'], strides: [p.outputSize, 1], offset: 0 },
      ],
      inputs: 2,
      patterns: [{ params: p, legs: { k: 'k', o: 'o', i: 'i' } }],
      output: ['ci', 'i'],
      scale: 1,
    };
    const split = splitPhases(spec)!;
    expect(split.zeroFill).toBe(false);
    // ρ = 0: i + 1 odd, taps k = 1 only; ρ = 1: taps k = 0, 2.
    expect(
      split.phases.map((ph) => [
        ph.spec.operands[0].offset,
        ph.spec.operands[0].strides[2],
        ph.spec.sizes.k,
        ph.spec.store,
      ]),
    ).toEqual([
      [1, 2, 1, { strides: [8, 2], offset: 0 }],
      [0, 2, 2, { strides: [8, 2], offset: 1 }],
    ]);
    // A result that is not reached through a strided pattern is not split.
    expect(
      splitPhases({
        ...spec,
        patterns: [{ params: pattern(8, 3, 1, 1, 1), legs: { k: 'k', o: 'o', i: 'i' } }],
        sizes: { ...spec.sizes, o: 8 },
      }),
    ).toBeUndefined();
  });
});
