import { describe, expect, it } from 'vitest';
import {
  derivative,
  derivativeBySource,
  evaluateExpression,
  formatExpression,
  jvp,
  vjp,
} from '../../../src/core/diff/index.ts';
import { parseEinsum } from '../../../src/core/einsum/index.ts';
import { product, type Network } from '../../../src/core/network.ts';
import { getOperation } from '../../../src/core/ops/index.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { evaluate, greedyPath } from '../rewrite/evaluateFast.ts';
import { prepareRequest } from '../../../src/core/runRequest.ts';
import { simplify, simplifyExpression } from '../../../src/core/rewrite/index.ts';
import { dense, type DenseTensor } from '../../../src/core/tensor.ts';
import { loadFixtures } from '../../helpers/fixtures.ts';
import { randomTensor } from '../../helpers/random.ts';
import { canonicalEinsum, hyperOf, relativeDiff } from './helpers.ts';

const cases = loadFixtures();
const forwardCases = cases.filter((c) => c.request.op === 'conv_forward');
const factorCases = cases.filter((c) =>
  ['kfc', 'kfac_reduce', 'conv_transpose_kfac_reduce'].includes(c.request.op),
);

function dot(a: DenseTensor, b: DenseTensor): number {
  let s = 0;
  for (let j = 0; j < a.data.length; j++) s += a.data[j] * b.data[j];
  return s;
}

function axpy(alpha: number, x: DenseTensor, y: DenseTensor): DenseTensor {
  return dense(
    y.shape,
    y.data.map((v, j) => v + alpha * x.data[j]),
  );
}

describe('VJPs and JVPs derived from conv_forward equal the library operations', () => {
  it.each(forwardCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { network, inputs } = prepareRequest(c.request);
    const hyper = hyperOf(c);
    const x = inputs.x;
    const w = inputs.weight;
    const v = randomTensor(network.resultShape, 7);

    const inputVjp = vjp(network, 'x');
    expect(inputVjp.terms).toHaveLength(1);
    const libInput = getOperation('conv_input_vjp').build({
      ...hyper,
      input_size: x.shape.slice(2),
      shapes: { v: v.shape, weight: w.shape },
    });
    const derivedInput = inputVjp.terms[0].network;
    expect(derivedInput.resultShape).toEqual(x.shape);
    expect(canonicalEinsum(derivedInput)).toBe(canonicalEinsum(libInput));
    expect(
      relativeDiff(
        evaluateReference(derivedInput, { v, weight: w }).data,
        evaluateReference(libInput, { v, weight: w }).data,
      ),
    ).toBeLessThan(1e-12);

    const weightVjp = vjp(network, 'weight');
    const libWeight = getOperation('conv_weight_vjp').build({
      ...hyper,
      kernel_size: w.shape.slice(2),
      shapes: { x: x.shape, v: v.shape },
    });
    const derivedWeight = weightVjp.terms[0].network;
    expect(derivedWeight.resultShape).toEqual(w.shape);
    expect(canonicalEinsum(derivedWeight)).toBe(canonicalEinsum(libWeight));
    expect(
      relativeDiff(
        evaluateReference(derivedWeight, { x, v }).data,
        evaluateReference(libWeight, { x, v }).data,
      ),
    ).toBeLessThan(1e-12);

    const tx = randomTensor(x.shape, 11);
    const inputJvp = jvp(network, 'x').terms[0].network;
    const libInputJvp = getOperation('conv_input_jvp').build({
      ...hyper,
      shapes: { v: x.shape, weight: w.shape },
    });
    expect(canonicalEinsum(inputJvp)).toBe(canonicalEinsum(libInputJvp));
    expect(
      relativeDiff(
        evaluateReference(inputJvp, { v: tx, weight: w }).data,
        evaluateReference(libInputJvp, { v: tx, weight: w }).data,
      ),
    ).toBeLessThan(1e-12);

    const tw = randomTensor(w.shape, 13);
    const weightJvp = jvp(network, 'weight').terms[0].network;
    const libWeightJvp = getOperation('conv_weight_jvp').build({
      ...hyper,
      shapes: { x: x.shape, v: w.shape },
    });
    expect(canonicalEinsum(weightJvp)).toBe(canonicalEinsum(libWeightJvp));
    expect(
      relativeDiff(
        evaluateReference(weightJvp, { x, v: tw }).data,
        evaluateReference(libWeightJvp, { x, v: tw }).data,
      ),
    ).toBeLessThan(1e-12);
  });
});

describe('the Jacobian network (x or W cut out)', () => {
  const input = { stride: 2, padding: 1, groups: 2, shapes: { x: [2, 4, 5], weight: [4, 2, 3] } };
  const net = getOperation('conv_forward').build(input);
  const x = randomTensor([2, 4, 5], 1);
  const w = randomTensor([4, 2, 3], 2);

  it('ties the open legs n and g to their twins by deltas and lists the cut legs after the output', () => {
    const d = derivative(net, 'x').terms[0].network;
    expect(d.output).toEqual(['n', 'g', 'c_out', 'o1', 'n_d', 'g_d', 'c_in', 'i1']);
    expect(d.resultShape).toEqual([...net.resultShape, 2, 4, 5]);
    const deltas = d.tensors.filter((t) => t.kind === 'delta').map((t) => t.legs);
    expect(deltas).toEqual([
      ['n', 'n_d'],
      ['g', 'g_d'],
    ]);
  });

  it('has the columns f(e_j) of the linear map x ↦ conv(x, W), and W ↦ conv(x, W)', () => {
    for (const [id, shape, fixed] of [
      ['x', [2, 4, 5], { weight: w }],
      ['weight', [4, 2, 3], { x }],
    ] as const) {
      const jac = evaluateExpression(derivative(net, id), fixed);
      const outSize = product(net.resultShape);
      const inSize = product(shape);
      expect(jac.shape).toEqual([...net.resultShape, ...shape]);
      for (let j = 0; j < inSize; j++) {
        const e = dense(shape);
        e.data[j] = 1;
        const column = evaluateReference(net, { ...fixed, [id]: e }).data;
        for (let r = 0; r < outSize; r++)
          expect(jac.data[r * inSize + j]).toBeCloseTo(column[r], 12);
      }
    }
  });
});

describe('product rule: KFC and KFAC-reduce hold x twice', () => {
  it.each(factorCases.map((c) => [c.id, c] as const))(
    '%s: two terms whose sum is the exact directional derivative',
    (_id, c) => {
      const { network, inputs } = prepareRequest(c.request);
      const x = inputs.x;
      expect(derivativeBySource(network, 'x').terms).toHaveLength(2);
      const back = vjp(network, 'x');
      const forward = jvp(network, 'x');
      expect(back.terms).toHaveLength(2);
      expect(forward.terms).toHaveLength(2);
      // The factor is quadratic in x, so central differences with any step are exact.
      const d = randomTensor(x.shape, 3);
      const V = randomTensor(network.resultShape, 4);
      const plus = evaluate(network, { x: axpy(1, d, x) });
      const minus = evaluate(network, { x: axpy(-1, d, x) });
      const central = plus.data.map((p, j) => (p - minus.data[j]) / 2);
      const tangent = evaluateExpression(forward, { x, v: d }, greedyPath);
      expect(tangent.shape).toEqual(network.resultShape);
      expect(relativeDiff(tangent.data, central)).toBeLessThan(1e-9);
      const cotangent = evaluateExpression(back, { x, v: V }, greedyPath);
      expect(cotangent.shape).toEqual(x.shape);
      expect(dot(cotangent, d)).toBeCloseTo(dot(V, { shape: V.shape, data: central }), 9);
    },
  );

  it('formats the sum of the two terms', () => {
    const { network } = prepareRequest(factorCases[0].request);
    expect(formatExpression(vjp(network, 'x'))).toMatch(/^\(.+\) \+ \(.+\)$/);
  });

  it('simplifies each term of the sum without changing its value', () => {
    for (const c of factorCases.slice(0, 6)) {
      const { network, inputs } = prepareRequest(c.request);
      const expr = vjp(network, 'x');
      const simple = simplifyExpression(expr);
      expect(simple.steps).toHaveLength(2);
      const V = randomTensor(network.resultShape, 5);
      const want = evaluateExpression(expr, { x: inputs.x, v: V }, greedyPath);
      expect(
        relativeDiff(
          evaluateExpression(simple.expression, { x: inputs.x, v: V }, greedyPath).data,
          want.data,
        ),
      ).toBeLessThan(1e-12);
    }
  });
});

describe('clear errors', () => {
  const net = getOperation('conv_forward').build({ shapes: { x: [1, 2, 5], weight: [3, 2, 3] } });
  const kfcNet = getOperation('kfc').build({ kernel_size: 2, shapes: { x: [2, 1, 4] } });
  const closed: Network = parseEinsum('ab,ab->', [
    [2, 3],
    [2, 3],
  ]);

  it('names a tensor or an input that is not in the network', () => {
    expect(() => derivative(net, 'y')).toThrow(
      /no tensor 'y' in the network \(tensors: x, Pi1, weight\)/,
    );
    expect(() => derivativeBySource(net, 'y')).toThrow(
      /no tensor of the network reads input 'y' \(inputs: x, weight\)/,
    );
    expect(() => vjp(net, 'y')).toThrow(/reads input 'y'/);
    expect(() => jvp(net, 'y')).toThrow(/reads input 'y'/);
  });

  it('refuses a network with no open legs', () => {
    expect(() => derivative(closed, 'T1')).toThrow(/no open legs/);
    expect(() => derivativeBySource(closed, 'T1')).toThrow(/no open legs/);
    expect(() => vjp(closed, 'T1')).toThrow(/no open legs/);
    expect(() => jvp(closed, 'T1')).toThrow(/no open legs/);
  });

  it('refuses constants: Π, δ and scalars', () => {
    expect(() => derivative(net, 'Pi1')).toThrow(/Π₁ \('Pi1'\) is an index pattern, a constant/);
    expect(() => derivative(kfcNet, 'scale')).toThrow(/constant factor/);
    const withDelta = derivative(net, 'x').terms[0].network;
    expect(() => derivative(withDelta, withDelta.tensors[0].id)).toThrow(
      /Kronecker delta, a constant/,
    );
  });

  it('refuses a vector or tangent name the network already reads', () => {
    expect(() => vjp(net, 'x', 'weight')).toThrow(/'weight' is already an input/);
    expect(() => jvp(net, 'weight', 'x')).toThrow(/'x' is already an input/);
  });

  it('refuses a tensor that a rewrite has sliced', () => {
    const down = getOperation('conv_forward').build({
      stride: 3,
      shapes: { x: [1, 1, 6], weight: [1, 1, 2] },
    });
    const sliced = simplify(down, { disabled: ['dense_pattern'] }).network;
    expect(() => vjp(sliced, 'x')).toThrow(
      /carries a slice recorded by a rewrite: differentiate the network before simplifying it/,
    );
  });
});
