import { describe, expect, it } from 'vitest';
import {
  buildDiagram,
  buildSource,
  inputShapes,
  squaredNormNetwork,
  type StepAppliers,
} from '../../../src/core/notebook/index.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { dense, type Inputs } from '../../../src/core/tensor.ts';
import { product, type Network } from '../../../src/core/network.ts';
import { layerOpInput } from '../../../src/core/layer.ts';
import { smallPreset, SMALL_PRESETS } from '../../helpers/smallPresets.ts';

function randomInputs(net: Network, seed = 1): Inputs {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const inputs: Inputs = {};
  for (const [name, shape] of Object.entries(inputShapes(net))) {
    inputs[name] = dense(shape, Array.from({ length: product(shape) }, next));
  }
  return inputs;
}

const small = {
  batch: 3,
  inChannels: 2,
  outChannels: 3,
  input: [5, 4],
  kernel: [2, 2],
  stride: [1, 2],
  padding: [1, 0],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

describe('diagram sources', () => {
  it('builds every preset with the inputs’ shapes recorded', () => {
    for (const source of SMALL_PRESETS) {
      const net = buildSource(source);
      expect(inputShapes(net)).toEqual(layerOpInput(source.op, source.layer).shapes);
    }
  });

  it('builds einsum and network sources', () => {
    const net = buildSource({
      kind: 'einsum',
      equation: 'ab,bc->ac',
      shapes: [
        [2, 3],
        [3, 4],
      ],
      names: ['A', 'B'],
    });
    expect(net.resultShape).toEqual([2, 4]);
    expect(inputShapes(net)).toEqual({ A: [2, 3], B: [3, 4] });
    const copy = buildSource({ kind: 'network', network: net });
    expect(copy).toEqual(net);
    expect(copy).not.toBe(net);
  });

  it('reports a source that does not build, and steps whose module is not wired', () => {
    const bad = buildDiagram({
      source: {
        kind: 'einsum',
        equation: 'ab,bc->ad',
        shapes: [
          [2, 3],
          [3, 4],
        ],
      },
      steps: [],
    });
    expect(bad).toMatchObject({
      ok: false,
      step: -1,
      error: expect.stringMatching(
        /^cannot build the diagram: einsum position 8: output index 'd' is on no operand$/,
      ),
    });
    const unwired = buildDiagram(
      { source: SMALL_PRESETS[0], steps: [{ kind: 'vjp', source: 'weight' }] },
      {},
    );
    expect(unwired).toMatchObject({
      ok: false,
      step: 0,
      error: "step 1 (vjp): the 'vjp' step needs src/core/diff, which is not wired into this build",
    });
  });

  it('applies injected steps term by term, multiplying coefficients', () => {
    const appliers: StepAppliers = {
      derivative: (net) => ({
        terms: [
          { coefficient: 2, network: net },
          { coefficient: -1, network: net },
        ],
      }),
      simplify: (net, step) => ({
        ...net,
        resultShape: [...net.resultShape],
        output: [...net.output],
        sizes: { ...net.sizes },
        tensors: net.tensors.slice(0, step.steps ?? net.tensors.length),
      }),
    };
    const built = buildDiagram(
      {
        source: SMALL_PRESETS[0],
        steps: [
          { kind: 'derivative', source: 'x' },
          { kind: 'derivative', source: 'x' },
        ],
      },
      appliers,
    );
    expect(built.ok && built.sum.terms.map((t) => t.coefficient)).toEqual([4, -2, -2, 1]);
    expect(built.ok && built.stages.length).toBe(3);
  });
});

describe('steps through the core modules', () => {
  it('derives the library’s weight VJP from the forward pass', () => {
    const derived = buildDiagram({
      source: smallPreset('conv_forward', small),
      steps: [{ kind: 'vjp', source: 'weight' }],
    });
    if (!derived.ok) throw new Error(derived.error);
    const net = derived.sum.terms[0].network;
    const library = buildSource(smallPreset('conv_weight_vjp', small));
    const inputs = randomInputs(library, 3);
    const a = evaluateReference(net, inputs);
    const b = evaluateReference(library, inputs);
    expect(a.shape).toEqual(b.shape);
    a.data.forEach((v, j) => expect(v).toBeCloseTo(b.data[j], 10));
  });

  it('names a new vector freshly and keeps one term when asked', () => {
    const twice = buildDiagram({
      source: smallPreset('conv_weight_vjp', small),
      steps: [{ kind: 'vjp', source: 'x' }],
    });
    expect(
      twice.ok &&
        twice.sum.terms[0].network.tensors.some((t) => t.kind === 'data' && t.source === 'v2'),
    ).toBe(true);
    const kfc = smallPreset('kfc', small);
    const both = buildDiagram({ source: kfc, steps: [{ kind: 'derivative', source: 'x' }] });
    expect(both.ok && both.sum.terms.length).toBe(2);
    const second = buildDiagram({
      source: kfc,
      steps: [{ kind: 'derivative', source: 'x', term: 1 }],
    });
    expect(second.ok && second.sum.terms.length).toBe(1);
    expect(second.ok && both.ok && second.sum.terms[0].network).toEqual(
      both.ok && both.sum.terms[1].network,
    );
    const clamped = buildDiagram({
      source: kfc,
      steps: [{ kind: 'derivative', source: 'x', term: 9 }],
    });
    expect(clamped.ok && both.ok && clamped.sum.terms[0].network).toEqual(
      both.ok && both.sum.terms[1].network,
    );
  });

  it('simplifies, drops out and reports failing steps by number', () => {
    const dense = { ...small, input: [4, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
    const simplified = buildDiagram({
      source: smallPreset('conv_forward', dense),
      steps: [{ kind: 'simplify' }],
    });
    expect(
      simplified.ok &&
        simplified.sum.terms[0].network.tensors.some((t) => t.kind === 'index_pattern'),
    ).toBe(false);
    const oneStep = buildDiagram({
      source: smallPreset('conv_forward', dense),
      steps: [{ kind: 'simplify', steps: 1 }],
    });
    expect(
      oneStep.ok &&
        oneStep.sum.terms[0].network.tensors.filter((t) => t.kind === 'index_pattern').length,
    ).toBe(1);
    const dropped = buildDiagram({
      source: smallPreset('conv_weight_vjp', small),
      steps: [{ kind: 'dropout', index: 'o1', keep: 0.5, seed: 1 }],
    });
    expect(dropped.ok && dropped.sum.terms[0].network.sizes.o1).toBe(
      Math.round(buildSource(smallPreset('conv_weight_vjp', small)).sizes.o1 / 2),
    );
    const bad = buildDiagram({
      source: smallPreset('conv_forward', small),
      steps: [{ kind: 'simplify' }, { kind: 'dropout', index: 'n', keep: 0.5, seed: 1 }],
    });
    expect(bad).toMatchObject({
      ok: false,
      step: 1,
      error: expect.stringMatching(/^step 2 \(dropout\): 'n' is an open leg/),
    });
  });
});

describe('squared norm step', () => {
  it('gives the per-example gradient norms without forming the gradients', () => {
    const source = smallPreset('conv_per_example_weight_vjp', small);
    const built = buildDiagram({ source, steps: [{ kind: 'squared_norm', keep: ['n'] }] });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const perExample = buildSource(source);
    const norms = built.sum.terms[0].network;
    expect(norms.output).toEqual(['n']);
    expect(norms.resultShape).toEqual([3]);
    expect(norms.tensors.length).toBe(2 * perExample.tensors.length);
    const inputs = randomInputs(perExample);
    const g = evaluateReference(perExample, inputs);
    const per = product(g.shape.slice(1));
    const expected = [0, 1, 2].map((n) =>
      g.data.slice(n * per, (n + 1) * per).reduce((s, v) => s + v * v, 0),
    );
    const actual = evaluateReference(norms, inputs);
    actual.data.forEach((v, n) => expect(v).toBeCloseTo(expected[n], 10));
  });

  it('expands a sum into all cross terms and keeps nothing open when asked', () => {
    const net = buildSource({
      kind: 'einsum',
      equation: 'ab,bc->ac',
      shapes: [
        [2, 3],
        [3, 2],
      ],
    });
    const inputs = randomInputs(net, 5);
    const full = squaredNormNetwork(net, []);
    expect(full.resultShape).toEqual([]);
    const value = evaluateReference(net, inputs).data.reduce((s, v) => s + v * v, 0);
    expect(evaluateReference(full, inputs).data[0]).toBeCloseTo(value, 12);
    const twoTerms: StepAppliers = {
      derivative: (n) => ({
        terms: [
          { coefficient: 1, network: n },
          { coefficient: 2, network: n },
        ],
      }),
    };
    const built = buildDiagram(
      {
        source: { kind: 'network', network: net },
        steps: [
          { kind: 'derivative', source: 'T1' },
          { kind: 'squared_norm', keep: [] },
        ],
      },
      twoTerms,
    );
    expect(built.ok && built.sum.terms.map((t) => t.coefficient)).toEqual([1, 2, 2, 4]);
    expect(() => squaredNormNetwork(net, ['zz'])).toThrow(/'zz' is not an open leg/);
  });
});
