import { describe, expect, it } from 'vitest';
import { answerRunRequest, referenceEvaluator } from '../../src/cli/runCommand.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';

const cases = loadFixtures('curvature_ops.json');
const OPS = [
  'conv_forward',
  'avg_pool',
  'fold',
  'unfold_kernel',
  'per_example_grad_norm',
  'sum_grad_squared',
  'ggn_diagonal',
  'ggn_gram',
];

describe('PyTorch float64 cases of the curvature operations (reference evaluator)', () => {
  it('cover every new operation, 1- to 3-d, with groups, strides, dilation and padding', () => {
    for (const op of OPS)
      expect(cases.filter((c) => c.request.op === op).length, op).toBeGreaterThanOrEqual(8);
    expect(cases.some((c) => c.request.tensors.bias)).toBe(true);
    expect(cases.some((c) => Number(c.request.groups) > 1 && c.request.op === 'ggn_gram')).toBe(
      true,
    );
  });

  it('a 1% error in a result would be caught', () => {
    for (const c of cases) {
      const off = c.expected.data.map((v) => v * 1.01);
      expect(relativeError(off, c.expected.data), c.id).toBeGreaterThan(1e-3);
    }
  });

  it.each(cases.map((c) => [c.id, c] as const))(
    '%s',
    async (_id, c) => {
      for (const simplify of [false, true]) {
        const response = await answerRunRequest({ ...c.request, simplify }, referenceEvaluator());
        expect(response.op).toBe(c.request.op);
        expect(response.shape).toEqual(c.expected.shape);
        expect(relativeError(response.data, c.expected.data)).toBeLessThan(1e-6);
      }
      // The 3-d Gram cases take seconds in the float64 loop evaluator on a busy machine.
    },
    60_000,
  );
});
