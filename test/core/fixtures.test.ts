import { describe, expect, it } from 'vitest';
import { answerRunRequest, referenceEvaluator } from '../../src/cli/runCommand.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';

const cases = loadFixtures();

describe('PyTorch reference cases through the run pipeline (reference evaluator)', () => {
  it('covers every operation of the fixture file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const response = await answerRunRequest(
      { ...c.request, simplify: false },
      referenceEvaluator(),
    );
    expect(response.op).toBe(c.request.op);
    expect(response.shape).toEqual(c.expected.shape);
    expect(relativeError(response.data, c.expected.data)).toBeLessThan(1e-4);
    if (c.dense_plan) {
      // einconv writes the scale factor as a size-1 operand 's'; einsketch as a 0-d operand.
      expect(response.equation).toBe(c.dense_plan.equation.replace(/,s->/, ',->'));
    }
  });
});
