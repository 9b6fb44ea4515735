import { describe, expect, it } from 'vitest';
import { makePattern } from '../../../src/core/indexPattern.ts';
import type { Network, PatternRole, Tensor } from '../../../src/core/network.ts';
import { costOfPath, planNetwork, problemFromNetwork } from '../../../src/core/planner/index.ts';

/** Small hand-made networks whose structured costs can be counted by hand. */

function data(id: string, legs: string[]): Tensor {
  return { id, label: id, kind: 'data', source: id, transforms: [], legs };
}

function pattern(
  id: string,
  legs: string[],
  input: number,
  kernel: number,
  stride = 1,
  roles: PatternRole[] = ['k', 'o', 'i'],
): Tensor {
  return {
    id,
    label: id,
    kind: 'index_pattern',
    pattern: makePattern(input, kernel, stride, 1, 0, 0),
    roles,
    legs,
  };
}

function network(tensors: Tensor[], sizes: Record<string, number>, output: string[]): Network {
  return { tensors, sizes, output, resultShape: output.map((l) => sizes[l]) };
}

// Π for I = 8, K = 3, S = 1: O = 6.
const SIZES = { n: 2, c: 5, k: 3, o: 6, i: 8, d: 4, b: 4, e: 7 };

describe('structured cost of one contraction', () => {
  it('Π with a dense tensor over i is a gather costing the size of its result', () => {
    const net = network([data('x', ['n', 'c', 'i']), pattern('P', ['k', 'o', 'i'], 8, 3)], SIZES, [
      'n',
      'c',
      'k',
      'o',
    ]);
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('gather');
    expect(step.structuredFlops).toBe(2 * 5 * 3 * 6);
    expect(step.flops).toBe(2 * 2 * 5 * 3 * 6 * 8);
    expect(step.resultStored).toBe(step.resultSize);
  });

  it('a δ renaming a leg costs the size of the result', () => {
    const net = network(
      [{ id: 'D', label: 'δ', kind: 'delta', legs: ['d', 'b'] }, data('T', ['d', 'e'])],
      SIZES,
      ['b', 'e'],
    );
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('relabel');
    expect(step.structuredFlops).toBe(4 * 7);
    expect(step.flops).toBe(2 * 4 * 4 * 7);
  });

  it('a δ in an outer product scatters onto a diagonal: the dense result is written', () => {
    const net = network(
      [{ id: 'D', label: 'δ', kind: 'delta', legs: ['d', 'b'] }, data('T', ['e'])],
      SIZES,
      ['d', 'b', 'e'],
    );
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('scatter');
    expect(step.structuredFlops).toBe(4 * 4 * 7);
  });

  it('Π meeting a tensor without its i leg scatters into the result (k is fixed by o, i: no sums)', () => {
    const net = network([pattern('P', ['k', 'o', 'i'], 8, 3), data('w', ['c', 'k'])], SIZES, [
      'c',
      'o',
      'i',
    ]);
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('scatter');
    expect(step.structuredFlops).toBe(5 * 6 * 8);
  });

  it('Π summing several taps into each output entry (a transposed convolution) adds', () => {
    const net = network([pattern('P', ['k', 'o', 'i'], 8, 3), data('v', ['n', 'k', 'o'])], SIZES, [
      'n',
      'i',
    ]);
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('sparse-dense');
    // One term per nonzero of Π (K·O) per n, each added into an output entry.
    expect(step.structuredFlops).toBe(2 * 3 * 6 * 2);
  });

  it('Π with Π stays sparse: nonzeros of the product, not the dense size', () => {
    const net = network(
      [pattern('P', ['k', 'o', 'i'], 8, 3), pattern('Q', ['k2', 'o2', 'i2'], 7, 2, 2)],
      { ...SIZES, k2: 2, o2: 3, i2: 7 },
      ['k', 'o', 'i', 'k2', 'o2', 'i2'],
    );
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('sparse');
    expect(step.resultStored).toBe(3 * 6 * 2 * 3);
    expect(step.resultSize).toBe(3 * 6 * 8 * 2 * 3 * 7);
    expect(step.structuredFlops).toBe(3 * 6 * 2 * 3);
  });

  it('two Π sharing their input leg: nonzeros bounded by one free choice of k, o, k′', () => {
    const net = network(
      [pattern('P', ['k', 'o', 'i'], 8, 3), pattern('Q', ['k2', 'o2', 'i'], 8, 2, 2)],
      { ...SIZES, k2: 2, o2: 4 },
      ['k', 'o', 'k2', 'o2'],
    );
    const [step] = costOfPath(net, [[0, 1]]).steps;
    expect(step.kind).toBe('sparse');
    // (k, o) fixes i, (k2, i) fixes o2: at most K·O·K2 nonzeros, i summed without adds.
    expect(step.resultStored).toBeLessThanOrEqual(3 * 6 * 2);
    expect(step.structuredFlops).toBeLessThanOrEqual(3 * 6 * 2);
  });

  it('the summed pattern Π̄[k, i] keeps K·O nonzeros (o is a hidden leg), not K·I', () => {
    // I = 8, K = 3, S = 2: O = 3, so K·O = 9 < K·I = 24.
    const net = network(
      [pattern('Pbar', ['k', 'i'], 8, 3, 2, ['k', 'i']), data('x', ['n', 'i'])],
      { ...SIZES, o: 3 },
      ['n', 'k'],
    );
    const problem = problemFromNetwork(net);
    expect(problem.leaves[0].stored).toBe(9);
    expect(problem.leaves[0].size).toBe(24);
    const [step] = costOfPath(net, [[0, 1]]).steps;
    // Σ_i Π̄[k,i] x[n,i]: one term per nonzero per n, summed per (n, k).
    expect(step.structuredFlops).toBe(2 * 9 * 2);
  });

  it('summing Π over o first (KFAC-reduce) costs its nonzeros and is taken when it pays', () => {
    const net = network([pattern('P', ['k', 'o', 'i'], 8, 3), data('x', ['n', 'c', 'i'])], SIZES, [
      'n',
      'c',
      'k',
    ]);
    const summed = costOfPath(net, [[0], [0, 1]]);
    expect(summed.steps[0].kind).toBe('single');
    expect(summed.steps[0].structuredFlops).toBe(3 * 6);
    expect(summed.steps[0].flops).toBe(2 * 3 * 6 * 8);
    const dense = planNetwork(net, { objective: 'dense' });
    // Dense: summing o first saves a factor O on the contraction with x.
    expect(dense.path).toEqual([[0], [0, 1]]);
  });
});

describe('plans', () => {
  it('the structured objective gathers with the patterns, the dense one does not care', () => {
    // conv_forward 2-d: x[n c i1 i2] Π1 Π2 w[d c k1 k2] → [n d o1 o2]
    const sizes = { n: 2, c: 3, d: 4, k1: 3, o1: 6, i1: 8, k2: 3, o2: 6, i2: 8 };
    const net = network(
      [
        data('x', ['n', 'c', 'i1', 'i2']),
        pattern('P1', ['k1', 'o1', 'i1'], 8, 3),
        pattern('P2', ['k2', 'o2', 'i2'], 8, 3),
        data('w', ['d', 'c', 'k1', 'k2']),
      ],
      sizes,
      ['n', 'd', 'o1', 'o2'],
    );
    const structured = planNetwork(net);
    const dense = planNetwork(net, { objective: 'dense' });
    expect(structured.structuredFlops).toBeLessThanOrEqual(dense.structuredFlops);
    expect(dense.flops).toBeLessThanOrEqual(structured.flops);
    expect(structured.steps.some((s) => s.kind === 'gather')).toBe(true);
    expect(structured.tree.kind).toBe('step');
    expect(structured.steps[structured.steps.length - 1].result).toEqual(['n', 'd', 'o1', 'o2']);
  });

  it('a single tensor is one step, [[0]]', () => {
    const net = network([data('x', ['n', 'c'])], SIZES, ['n']);
    const plan = planNetwork(net);
    expect(plan.path).toEqual([[0]]);
    expect(plan.flops).toBe(2 * 2 * 5);
    expect(plan.tree).toEqual({
      kind: 'step',
      step: 1,
      legs: ['n'],
      children: [{ kind: 'leaf', operand: 0, legs: ['n', 'c'] }],
    });
  });
});
