import { describe, expect, it } from 'vitest';
import { parseEinsum, parseEquation } from '../../src/core/einsum/index.ts';
import { checkNetworkLimits, LIMITS } from '../../src/core/limits.ts';
import type { Network } from '../../src/core/network.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';

/** Each resource limit is enforced before allocation, with a message naming the limit. */
describe('resource limits', () => {
  it('caps the number of tensors', () => {
    const n = LIMITS.maxTensors + 1;
    const equation = `${Array.from({ length: n }, () => 'a').join(',')}->a`;
    expect(() =>
      parseEinsum(
        equation,
        Array.from({ length: n }, () => [2]),
      ),
    ).toThrow(`the limit is ${LIMITS.maxTensors}`);
  });

  it('caps legs per tensor, index sizes and entries', () => {
    const legs = Array.from({ length: LIMITS.maxLegs + 1 }, (_, j) => `i${j}`);
    expect(() =>
      parseEinsum(`${legs.join(' ')} -> i0`, [legs.map(() => 1)], { style: 'named' }),
    ).toThrow(/axes; the limit is/);
    expect(() => parseEinsum('a->a', [[LIMITS.maxIndexSize + 1]])).toThrow(
      /axis of size .*the limit is/,
    );
    expect(() => parseEinsum('ab->ab', [[1 << 14, 1 << 14]])).toThrow(/entries .*the limit is/);
  });

  it('caps the result of a network, not only its inputs', () => {
    const net: Network = {
      sizes: { a: 1 << 14, b: 1 << 14 },
      tensors: [
        { id: 'x', label: 'x', kind: 'data', source: 'x', transforms: [], legs: ['a'] },
        { id: 'y', label: 'y', kind: 'data', source: 'y', transforms: [], legs: ['b'] },
      ],
      output: ['a', 'b'],
      resultShape: [1 << 14, 1 << 14],
    };
    expect(() => checkNetworkLimits(net)).toThrow(/the result has .* entries/);
  });

  it('refuses a request whose hyper-parameters blow up the result before allocating it', () => {
    const request = {
      op: 'conv_input_vjp',
      input_size: [100_000, 100_000],
      stride: 50_000,
      tensors: {
        v: { shape: [1, 1, 2, 2], data: [1, 2, 3, 4] },
        weight: { shape: [1, 1, 1, 1], data: [1] },
      },
    };
    expect(() => prepareRequest(request)).toThrow(/limit/);
  });

  it('caps the equation length', () => {
    expect(() => parseEquation('a,'.repeat(LIMITS.maxEquationLength))).toThrow(/longer than/);
  });
});
