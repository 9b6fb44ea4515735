import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { makePattern } from '../../../src/core/indexPattern.ts';
import type { DataTensor, IndexPatternTensor, Network } from '../../../src/core/network.ts';
import { getOperation } from '../../../src/core/ops/index.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import {
  RULE_NAMES,
  RULES,
  getRule,
  simplify,
  simplifyStep,
  type RewriteRule,
} from '../../../src/core/rewrite/index.ts';
import { randomTensor } from '../../helpers/random.ts';
import { only, relativeDiff } from './helpers.ts';

const data = (id: string, legs: string[]): DataTensor => ({
  id,
  label: id,
  kind: 'data',
  source: id,
  legs,
  transforms: [],
});

describe('the rule set', () => {
  it('has one module per rule, each registered once with the same shape', () => {
    // Every rule module under src/core/rewrite/rules/ is in RULES, so a new rule is tried by
    // the simplifier and tested here (and by the random layers) without touching the tests.
    const modules = import.meta.glob('../../../src/core/rewrite/rules/*.ts', { eager: true });
    const defined = Object.values(modules).flatMap((m) =>
      Object.values(m as Record<string, unknown>).filter(
        (v): v is RewriteRule => typeof v === 'object' && v !== null && 'find' in v && 'apply' in v,
      ),
    );
    expect(defined.length).toBeGreaterThan(0);
    for (const rule of defined) expect(RULES, rule.name).toContain(rule);
    expect(new Set(RULE_NAMES).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(getRule(rule.name)).toBe(rule);
      expect(rule.title.length).toBeGreaterThan(3);
      expect(rule.summary.length).toBeGreaterThan(20);
      expect(typeof rule.find).toBe('function');
      expect(typeof rule.apply).toBe('function');
    }
  });
});

describe('delta removal', () => {
  it('turns a δ that meets nothing else into its trace', () => {
    const net: Network = {
      sizes: { a: 3, b: 3, c: 2 },
      tensors: [{ id: 'd', label: 'δ', kind: 'delta', legs: ['a', 'b'] }, data('T', ['c'])],
      output: ['c'],
      resultShape: [2],
    };
    const { network, step } = getRule('delta_removal').apply(
      net,
      getRule('delta_removal').find(net)[0],
    );
    expect(network.tensors.map((t) => t.kind)).toEqual(['scalar', 'data']);
    expect(step.explanation).toBe(
      'δ(a, b) meets no other tensor: its trace is the size 3 of a, a scalar',
    );
    const T = randomTensor([2], 1);
    expect(Array.from(evaluateReference(network, { T }).data)).toEqual(
      Array.from(T.data, (v) => 3 * v),
    );
  });

  it('drops a duplicate δ, then removes the other by renaming', () => {
    const net: Network = {
      sizes: { a: 3, b: 3 },
      tensors: [
        data('A', ['a']),
        { id: 'd1', label: 'δ', kind: 'delta', legs: ['a', 'b'] },
        { id: 'd2', label: 'δ', kind: 'delta', legs: ['b', 'a'] },
        data('B', ['b']),
      ],
      output: [],
      resultShape: [],
    };
    const { network, steps } = simplify(net, only('delta_removal'));
    expect(steps[0].step.explanation).toBe('δ(b, a) appears twice; δ·δ = δ, so the second goes');
    expect(formatEinsum(network)).toBe('a, a -> ');
    const inputs = { A: randomTensor([3], 2), B: randomTensor([3], 3) };
    expect(
      relativeDiff(evaluateReference(network, inputs).data, evaluateReference(net, inputs).data),
    ).toBeLessThan(1e-14);
  });

  it('keeps a δ between two open legs and never makes a diagonal', () => {
    const tied: Network = {
      sizes: { a: 2, b: 2, c: 3 },
      tensors: [{ id: 'd', label: 'δ', kind: 'delta', legs: ['a', 'b'] }, data('T', ['c'])],
      output: ['a', 'b', 'c'],
      resultShape: [2, 2, 3],
    };
    expect(getRule('delta_removal').find(tied)).toEqual([]);
    const trace: Network = {
      sizes: { a: 2, b: 2 },
      tensors: [data('T', ['a', 'b']), { id: 'd', label: 'δ', kind: 'delta', legs: ['a', 'b'] }],
      output: [],
      resultShape: [],
    };
    expect(getRule('delta_removal').find(trace)).toEqual([]);
  });
});

describe('the index-pattern rules', () => {
  it('down-sampling records reshape, slice, reshape on the input and leaves a dense Π', () => {
    const net = getOperation('conv_forward').build({
      stride: 3,
      shapes: { x: [1, 2, 6], weight: [1, 2, 2] },
    });
    const { network } = getRule('downsampling_pattern').apply(
      net,
      getRule('downsampling_pattern').find(net)[0],
    );
    const x = network.tensors.find((t) => t.id === 'x') as DataTensor;
    expect(x.transforms).toEqual([
      { kind: 'reshape', shape: [1, 1, 2, 2, 3] },
      { kind: 'slice', axis: 4, start: 0, size: 2 },
      { kind: 'reshape', shape: [1, 1, 2, 4] },
    ]);
    const pi = network.tensors.find((t) => t.id === 'Pi1') as IndexPatternTensor;
    expect(pi.pattern).toMatchObject({ inputSize: 4, kernelSize: 2, stride: 2, outputSize: 2 });
    expect(getRule('dense_pattern').find(network)).toHaveLength(1);
  });

  it('does not slice an open input leg (transpose convolution)', () => {
    const net = getOperation('conv_transpose_forward').build({
      stride: 3,
      shapes: { x: [1, 1, 2], weight: [1, 1, 2] },
    });
    expect(getRule('downsampling_pattern').find(net)).toEqual([]);
  });

  it('splits an open input leg keeping the row-major result', () => {
    const net = getOperation('conv_input_vjp').build({
      stride: 2,
      input_size: 6,
      shapes: { v: [1, 1, 3], weight: [1, 1, 2] },
    });
    const { network } = getRule('dense_pattern').apply(net, getRule('dense_pattern').find(net)[0]);
    expect(network.output).toEqual(['n', 'g', 'c_in', 'ĩ1', 'k̃1']);
    expect(network.resultShape).toEqual(net.resultShape);
  });

  it('sums a lone o leg into the summed pattern Π̄, and a Π with nothing left into its tap count', () => {
    const net = getOperation('kfac_reduce').build({
      kernel_size: 2,
      padding: 1,
      shapes: { x: [1, 1, 4] },
    });
    const { network, step } = getRule('sum_leg').apply(net, getRule('sum_leg').find(net)[0]);
    const pi = network.tensors.find((t) => t.id === 'Pi1') as IndexPatternTensor;
    expect(pi.roles).toEqual(['k', 'i']);
    expect(pi.label).toBe('Π̄₁');
    expect(step.explanation).toBe(
      'o1 (role o) is only on Π₁ and not an output: Π̄₁[k1, i1] = Σ_o1 Π₁[k1, o1, i1] (the summed pattern)',
    );
    const lone: Network = {
      sizes: { k: 2, o: 6, i: 5 },
      tensors: [
        {
          id: 'P',
          label: 'Π',
          kind: 'index_pattern',
          legs: ['k', 'o', 'i'],
          roles: ['k', 'o', 'i'],
          pattern: makePattern(5, 2, 1, 1, 1, 1),
        },
      ],
      output: [],
      resultShape: [],
    };
    const summed = simplify(lone).network;
    // Taps k = 0 land inside for o = 1..5, taps k = 1 for o = 0..4.
    expect(summed.tensors).toEqual([
      { id: 'P_sum', label: '10', kind: 'scalar', legs: [], value: 10 },
    ]);
    expect(evaluateReference(summed, {}).data[0]).toBe(evaluateReference(lone, {}).data[0]);
  });
});

describe('merge and squeeze', () => {
  it('merge legs that travel together into one reshape; squeeze size-1 legs', () => {
    const net = getOperation('conv_forward').build({
      shapes: { x: [2, 3, 4, 5], weight: [6, 3, 1, 1] },
    });
    const { network } = simplify(net);
    expect(formatEinsum(network)).toBe('n c_in o1_o2, c_out c_in -> n c_out o1_o2');
    const x = network.tensors.find((t) => t.id === 'x') as DataTensor;
    expect(x.transforms).toEqual([{ kind: 'reshape', shape: [2, 3, 20] }]);
    const inputs = { x: randomTensor([2, 3, 4, 5], 4), weight: randomTensor([6, 3, 1, 1], 5) };
    expect(
      relativeDiff(evaluateReference(network, inputs).data, evaluateReference(net, inputs).data),
    ).toBeLessThan(1e-14);
  });
});

describe('the simplifier', () => {
  const net = getOperation('conv_forward').build({
    stride: 2,
    shapes: { x: [1, 2, 4, 4], weight: [3, 2, 2, 2] },
  });

  it('is deterministic and steps one rule at a time to the same fixed point', () => {
    const a = simplify(net);
    expect(JSON.stringify(simplify(net))).toBe(JSON.stringify(a));
    let current = net;
    const rules: string[] = [];
    for (let next = simplifyStep(current); next; next = simplifyStep(current)) {
      rules.push(next.step.rule);
      current = next.network;
    }
    expect(rules).toEqual(a.steps.map((s) => s.step.rule));
    expect(current).toEqual(a.network);
    expect(simplifyStep(a.network)).toBeNull();
  });

  it('leaves switched-off rules alone and stops at maxSteps', () => {
    const noDense = simplify(net, { disabled: ['dense_pattern'] });
    expect(noDense.network.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(2);
    expect(noDense.steps.every((s) => s.step.rule !== 'dense_pattern')).toBe(true);
    expect(simplify(net, { maxSteps: 2 }).steps).toHaveLength(2);
    expect(simplifyStep(net, { disabled: [...RULE_NAMES] })).toBeNull();
  });

  it('refuses an unknown rule name and a match that no longer applies', () => {
    expect(() => simplify(net, { disabled: ['fold' as never] })).toThrow(
      /unknown rewrite rule 'fold'/,
    );
    const dense = getRule('dense_pattern');
    const match = dense.find(net)[0];
    const after = dense.apply(net, match).network;
    expect(() => dense.apply(after, match)).toThrow(/dense_pattern does not apply at Π₁ is dense/);
  });
});
