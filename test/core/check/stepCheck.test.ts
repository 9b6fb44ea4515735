import { describe, expect, it } from 'vitest';
import { checkDifferentiation, checkRewrite } from '../../../src/core/check/stepCheck.ts';
import { derivative, derivativeBySource, jvp, vjp } from '../../../src/core/diff/index.ts';
import { buildLayerNetwork, type LayerConfig } from '../../../src/core/layer.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';

const small: LayerConfig = {
  batch: 2,
  inChannels: 2,
  outChannels: 2,
  input: [4, 6],
  kernel: [2, 3],
  stride: [2, 3],
  padding: [0, 0],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

describe('checking derivation steps numerically', () => {
  it('passes every step of the simplifier and fails a step that changes the value', () => {
    for (const op of ['conv_forward', 'kfc', 'kfac_reduce'] as const) {
      const net = buildLayerNetwork(op, small);
      const { steps } = simplify(net);
      expect(steps.length, op).toBeGreaterThan(0);
      let before = net;
      for (const { network } of steps) {
        expect(checkRewrite(before, network).status, op).toBe('ok');
        before = network;
      }
    }
    const net = buildLayerNetwork('conv_forward', small);
    const broken = structuredClone(simplify(net).network);
    broken.tensors.push({ id: 's9', label: '2', kind: 'scalar', value: 2, legs: [] });
    const v = checkRewrite(net, broken);
    expect(v.status).toBe('changed');
    if (v.status === 'changed') expect(v.diff).toBeGreaterThan(0.01);
  });

  it('passes derivatives, VJPs and JVPs, and fails a wrong one', () => {
    const conv = buildLayerNetwork('conv_forward', small);
    expect(
      checkDifferentiation(
        conv,
        'derivative',
        'weight',
        derivative(conv, 'weight').terms,
        undefined,
      ).status,
    ).toBe('ok');
    expect(
      checkDifferentiation(conv, 'vjp', 'weight', vjp(conv, 'weight', 'v').terms, 'v').status,
    ).toBe('ok');
    expect(checkDifferentiation(conv, 'jvp', 'x', jvp(conv, 'x', 'v').terms, 'v').status).toBe(
      'ok',
    );
    const kfc = buildLayerNetwork('kfc', small);
    expect(
      checkDifferentiation(kfc, 'derivative', 'x', derivativeBySource(kfc, 'x').terms, undefined)
        .status,
    ).toBe('ok');
    // One term of the product rule alone is not the derivative.
    const oneTerm = derivativeBySource(kfc, 'x').terms.slice(0, 1);
    expect(checkDifferentiation(kfc, 'derivative', 'x', oneTerm, undefined).status).toBe('changed');
    const wrong = vjp(conv, 'weight', 'v').terms.map((t) => ({
      ...t,
      coefficient: -t.coefficient,
    }));
    expect(checkDifferentiation(conv, 'vjp', 'weight', wrong, 'v').status).toBe('changed');
  });
});
