import type { PatternParams } from '../../core/network.ts';
import { rowMajorStrides } from '../../core/tensor.ts';
import { ROLES, type KernelSpec, type OperandView, type PatternFactor } from './kernelSpec.ts';

/**
 * The phase split of a transposed product (an input VJP, a transposed convolution): a
 * kernel whose result has the input leg i of a pattern Π with stride S > 1 would visit
 * every tap k and keep only those where S divides i + P − k·D. Split i by its phase
 * ρ = i mod S, i = S·u + ρ: the taps that reach phase ρ are k = k₀ + j·S/g (g = gcd(S, D),
 * k₀·D ≡ ρ + P mod S), and for them o = u + e − j·D/g with e = (ρ + P − k₀·D)/S. So each
 * phase is the same contraction through a stride-1 pattern Π_ρ[j, o, u] with dilation D/g
 * and left padding e (negative: a crop), the kernel read at every S/g-th tap from k₀, and
 * the result written at every S-th position from ρ. No divisibility test is left; a phase
 * that no tap reaches is zero.
 */

export interface Phase {
  spec: KernelSpec;
}

export interface PhaseSplit {
  /** One spec per phase some tap reaches; each writes its positions of the result through `store`. */
  phases: Phase[];
  /** Some phase has no tap: the result must start out zero there. */
  zeroFill: boolean;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The taps of phase ρ of one pattern, or undefined if none reaches it. */
export function phaseOf(
  p: PatternParams,
  rho: number,
): { params: PatternParams; k0: number; tapStride: number } | undefined {
  const { stride: S, dilation: D, padLeft: P, kernelSize: K, outputSize: O, inputSize: I } = p;
  const g = gcd(S, D);
  const tapStride = S / g;
  const r = (rho + P) % S;
  let k0 = -1;
  for (let k = 0; k < tapStride && k < K; k++) {
    if ((k * D) % S === r) {
      k0 = k;
      break;
    }
  }
  if (k0 < 0) return undefined;
  const taps = Math.ceil((K - k0) / tapStride);
  const positions = Math.ceil((I - rho) / S);
  const e = (rho + P - k0 * D) / S;
  const dilation = D / g;
  // padRight keeps the pattern's shape rule: outputSize = (inputSize + pads − dilation·(taps − 1) − 1) + 1.
  const padRight = O - 1 + dilation * (taps - 1) + 1 - positions - e;
  return {
    params: {
      inputSize: positions,
      kernelSize: taps,
      outputSize: O,
      stride: 1,
      dilation,
      padLeft: e,
      padRight,
    },
    k0,
    tapStride,
  };
}

/** The patterns of `spec` whose input leg is a result leg reached through stride > 1. */
function splittable(spec: KernelSpec): number[] {
  if (spec.store || new Set(spec.output).size !== spec.output.length) return [];
  const onOperands = new Set(spec.operands.flatMap((o) => o.legs));
  const uses = new Map<string, number>();
  for (const p of spec.patterns)
    for (const r of ROLES) uses.set(p.legs[r], (uses.get(p.legs[r]) ?? 0) + 1);
  const out = new Set(spec.output);
  return spec.patterns.flatMap((p, j) => {
    const { i, k, o } = p.legs;
    const ok =
      p.params.stride > 1 &&
      !p.keep &&
      new Set([i, k, o]).size === 3 &&
      out.has(i) &&
      !onOperands.has(i) &&
      uses.get(i) === 1 &&
      !out.has(k) &&
      uses.get(k) === 1 &&
      !out.has(o);
    return ok ? [j] : [];
  });
}

/** The phase split of `spec`, or undefined where no pattern needs one. */
export function splitPhases(spec: KernelSpec): PhaseSplit | undefined {
  const split = splittable(spec);
  if (!split.length) return undefined;
  const outStrides = rowMajorStrides(spec.output.map((l) => spec.sizes[l]));
  const phases: Phase[] = [];
  let zeroFill = false;
  // Every combination of one phase per split pattern.
  const counts = split.map((j) =>
    Math.min(spec.patterns[j].params.stride, spec.patterns[j].params.inputSize),
  );
  const total = counts.reduce((a, b) => a * b, 1);
  for (let c = 0; c < total; c++) {
    let rest = c;
    const rhos = counts.map((n) => {
      const r = rest % n;
      rest = Math.floor(rest / n);
      return r;
    });
    const taps = split.map((j, a) => phaseOf(spec.patterns[j].params, rhos[a]));
    if (taps.some((t) => t === undefined)) {
      zeroFill = true;
      continue;
    }
    const sizes = { ...spec.sizes };
    const patterns: PatternFactor[] = spec.patterns.map((p) => ({ ...p }));
    let operands: OperandView[] = spec.operands.map((o) => ({ ...o, strides: [...o.strides] }));
    const strides = [...outStrides];
    let offset = 0;
    split.forEach((j, a) => {
      const t = taps[a]!;
      const p = spec.patterns[j];
      sizes[p.legs.i] = t.params.inputSize;
      sizes[p.legs.k] = t.params.kernelSize;
      patterns[j] = { params: t.params, legs: p.legs };
      // The kernel is read at its taps k₀ + j·S/g.
      operands = operands.map((o) => {
        let off = o.offset;
        const st = o.legs.map((l, x) => {
          if (l !== p.legs.k) return o.strides[x];
          off += t.k0 * o.strides[x];
          return o.strides[x] * t.tapStride;
        });
        return { ...o, strides: st, offset: off };
      });
      // The result is written at S·u + ρ.
      const at = spec.output.indexOf(p.legs.i);
      offset += rhos[a] * strides[at];
      strides[at] *= p.params.stride;
    });
    phases.push({ spec: { ...spec, sizes, operands, patterns, store: { strides, offset } } });
  }
  return { phases, zeroFill };
}
