import fc from 'fast-check';
import { makePattern } from '../../../src/core/indexPattern.ts';
import type { Network, PatternRole, Tensor } from '../../../src/core/network.ts';

/** Random small networks for property tests of the planner. */

const LETTERS = [...'abcdefgh'];

/** Plain einsum-like networks: every operand dense, legs from 8 letters of sizes 1..4. */
export function denseNetwork(minOperands: number, maxOperands: number): fc.Arbitrary<Network> {
  return fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: 4 }), {
        minLength: LETTERS.length,
        maxLength: LETTERS.length,
      }),
      operands: fc.array(fc.subarray(LETTERS, { minLength: 0, maxLength: 4 }), {
        minLength: minOperands,
        maxLength: maxOperands,
      }),
      output: fc.subarray(LETTERS),
    })
    .map(({ sizes, operands, output }) => {
      const used = new Set(operands.flat());
      return {
        sizes: Object.fromEntries(LETTERS.map((l, j) => [l, sizes[j]])),
        tensors: operands.map((legs, j): Tensor => ({
          id: `T${j}`,
          label: `T${j}`,
          kind: 'data',
          source: `T${j}`,
          transforms: [],
          legs,
        })),
        output: output.filter((l) => used.has(l)),
        resultShape: [],
      };
    });
}

interface PatternSpec {
  input: number;
  kernel: number;
  stride: number;
  dilation: number;
  pad: number;
  sumOutput: boolean;
}

const patternSpec: fc.Arbitrary<PatternSpec> = fc.record({
  input: fc.integer({ min: 2, max: 7 }),
  kernel: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 2 }),
  dilation: fc.integer({ min: 1, max: 2 }),
  pad: fc.integer({ min: 0, max: 1 }),
  sumOutput: fc.boolean(),
});

/**
 * Networks mixing index patterns (some with o summed out: Π̄), Kronecker deltas, a
 * scalar and dense tensors whose legs are drawn from the pattern and delta legs and a
 * few plain ones, so that gathers, relabels, Π·Π products and outer products all occur.
 */
export function structuredNetwork(maxOperands: number): fc.Arbitrary<Network> {
  return fc
    .record({
      patterns: fc.array(patternSpec, { minLength: 0, maxLength: 2 }),
      delta: fc.option(
        fc.record({ size: fc.integer({ min: 1, max: 3 }), legs: fc.integer({ min: 2, max: 3 }) }),
        { nil: undefined },
      ),
      scalar: fc.boolean(),
      plain: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
      data: fc.array(fc.array(fc.nat(), { minLength: 0, maxLength: 4 }), {
        minLength: 1,
        maxLength: 3,
      }),
      output: fc.array(fc.nat(), { maxLength: 4 }),
    })
    .map(({ patterns, delta, scalar, plain, data, output }) => {
      const sizes: Record<string, number> = {};
      const tensors: Tensor[] = [];
      patterns.forEach((spec, j) => {
        const pad =
          spec.kernel * spec.dilation > spec.input ? spec.kernel * spec.dilation : spec.pad;
        const pattern = makePattern(spec.input, spec.kernel, spec.stride, spec.dilation, pad, pad);
        const roles: PatternRole[] = spec.sumOutput ? ['k', 'i'] : ['k', 'o', 'i'];
        const legs = roles.map((r) => `p${j}${r}`);
        sizes[`p${j}k`] = pattern.kernelSize;
        sizes[`p${j}i`] = pattern.inputSize;
        if (!spec.sumOutput) sizes[`p${j}o`] = pattern.outputSize;
        tensors.push({ id: `Pi${j}`, label: `Π${j}`, kind: 'index_pattern', pattern, roles, legs });
      });
      if (delta) {
        const legs = Array.from({ length: delta.legs }, (_, j) => `d${j}`);
        for (const leg of legs) sizes[leg] = delta.size;
        tensors.push({ id: 'delta', label: 'δ', kind: 'delta', legs });
      }
      if (scalar)
        tensors.push({ id: 'scale', label: 'scale', kind: 'scalar', legs: [], value: 0.5 });
      ['a', 'b', 'c'].forEach((l, j) => (sizes[l] = plain[j]));
      const pool = Object.keys(sizes);
      data.slice(0, Math.max(1, maxOperands - tensors.length)).forEach((picks, j) => {
        const legs = [...new Set(picks.map((p) => pool[p % pool.length]))];
        tensors.push({
          id: `T${j}`,
          label: `T${j}`,
          kind: 'data',
          source: `T${j}`,
          transforms: [],
          legs,
        });
      });
      const used = [...new Set(tensors.flatMap((t) => t.legs))];
      const out = used.length ? [...new Set(output.map((p) => used[p % used.length]))] : [];
      return { sizes, tensors: tensors.slice(0, maxOperands), output: out, resultShape: [] };
    })
    .map((net) => {
      // Trimming to maxOperands may drop tensors carrying output legs.
      const used = new Set(net.tensors.flatMap((t) => t.legs));
      return { ...net, output: net.output.filter((l) => used.has(l)) };
    });
}

/**
 * Every linear path made of pairwise steps, optionally preceded by single-operand sums
 * of some original operands (the space the planner searches). For ≤ 5 operands.
 */
export function allPaths(net: Network): number[][][] {
  const n = net.tensors.length;
  if (n === 1) return [[[0]]];
  const own = net.tensors.map((t, j) =>
    t.legs.some(
      (leg) =>
        !net.output.includes(leg) && !net.tensors.some((u, k) => k !== j && u.legs.includes(leg)),
    ),
  );
  const reducible = own.flatMap((yes, j) => (yes ? [j] : []));
  const pairSequences = (m: number): number[][][] => {
    if (m <= 1) return [[]];
    const out: number[][][] = [];
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++)
        for (const rest of pairSequences(m - 1)) out.push([[i, j], ...rest]);
    }
    return out;
  };
  const pairs = pairSequences(n);
  const paths: number[][][] = [];
  for (let mask = 0; mask < 1 << reducible.length; mask++) {
    // Sum the chosen operands first: each is removed and appended at the end.
    const current = Array.from({ length: n }, (_, j) => j);
    const prefix: number[][] = [];
    reducible.forEach((leaf, b) => {
      if (!(mask & (1 << b))) return;
      const pos = current.indexOf(leaf);
      prefix.push([pos]);
      current.splice(pos, 1);
      current.push(leaf);
    });
    for (const p of pairs) paths.push([...prefix, ...p]);
  }
  return paths;
}
