import { describe, expect, it } from 'vitest';
import { answerRunRequest, referenceEvaluator } from '../../../src/cli/runCommand.ts';
import { parseEinsum } from '../../../src/core/einsum/index.ts';
import { EinsketchError } from '../../../src/core/errors.ts';
import { sequentialPath } from '../../../src/core/planner/cost.ts';
import { checkReferencePath, referenceBudget } from '../../../src/core/reference/budget.ts';
import { evaluateReference, planReference } from '../../../src/core/reference/evaluateReference.ts';
import { dense } from '../../../src/core/tensor.ts';

const MiB = 2 ** 20;

function message(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(EinsketchError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(EinsketchError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

// a[i] b[j] c[i j] -> scalar: the operand order makes the outer product a⊗b first.
const outer = parseEinsum('i,j,ij->', [[2048], [2048], [2048, 2048]], { names: ['a', 'b', 'c'] });

describe('reference evaluator within limits', () => {
  it('refuses a path whose intermediate breaks the budget, naming the step and its size', () => {
    const text = message(() =>
      checkReferencePath(
        outer,
        sequentialPath(3),
        referenceBudget({ memoryBudgetBytes: 40 * MiB }),
      ),
    );
    expect(text).toBe(
      'reference evaluator: memory budget of 40.0 MiB exceeded at path step 1 of 2, contracting operands [0, 1] (i, j -> i j): ' +
        'it allocates [2048, 2048] = 4194304 float64 values (32.0 MiB), 64.0 MiB alive in total',
    );
  });

  it('plans around an intermediate that would not fit', () => {
    const budget = referenceBudget({ memoryBudgetBytes: 40 * MiB });
    const path = planReference(outer, budget);
    const cost = checkReferencePath(outer, path, budget);
    expect(cost.peakBytes).toBeLessThanOrEqual(40 * MiB);
  });

  it('agrees with the operand order on a small network', () => {
    const net = parseEinsum(
      'ij,jk,kl->il',
      [
        [3, 4],
        [4, 5],
        [5, 2],
      ],
      { names: ['A', 'B', 'C'] },
    );
    const fill = (shape: number[]) =>
      dense(
        shape,
        Array.from({ length: shape.reduce((p, s) => p * s, 1) }, (_, j) => Math.sin(j + shape[0])),
      );
    const inputs = { A: fill([3, 4]), B: fill([4, 5]), C: fill([5, 2]) };
    const planned = evaluateReference(net, inputs);
    const sequential = evaluateReference(net, inputs, sequentialPath(3));
    planned.data.forEach((v, j) => expect(v).toBeCloseTo(sequential.data[j], 12));
  });

  it('refuses before allocating a result over the budget', () => {
    const big = parseEinsum('i,j->ij', [[4096], [4096]], { names: ['a', 'b'] });
    // No inputs are given: a refusal must come before materialize would ask for them.
    expect(
      message(() => evaluateReference(big, {}, undefined, { memoryBudgetBytes: 64 * MiB })),
    ).toMatch(
      /^reference evaluator: memory budget of 64.0 MiB exceeded at producing the result: it allocates \[4096, 4096\] = 16777216 float64 values \(128 MiB\)/,
    );
  });

  it('refuses a contraction that would take too long, naming its largest step', () => {
    const net = parseEinsum(
      'ij,jk->ik',
      [
        [2048, 2048],
        [2048, 2048],
      ],
      { names: ['A', 'B'] },
    );
    expect(message(() => evaluateReference(net, {}))).toBe(
      'reference evaluator: the contraction takes 8.59e+9 multiply-adds, over the limit of 4.29e+9; ' +
        'the largest is path step 1 of 1, contracting operands [0, 1] (i j, j k -> i k) with 8.59e+9',
    );
  });

  describe('the KFC request x [1, 4, 64, 64], kernel 32×32', () => {
    const request = {
      op: 'kfc',
      kernel_size: 32,
      tensors: { x: { shape: [1, 4, 64, 64], data: new Array(4 * 64 * 64).fill(0.5) } },
    };

    it('is refused in one line naming the step and its size (default budget)', async () => {
      const text = await refusal(answerRunRequest(request, referenceEvaluator()));
      expect(text).toMatch(
        /^reference evaluator: the contraction takes 1\.89e\+10 multiply-adds, over the limit of 4\.29e\+9; the largest is path step 6 of 6, .* with 1\.83e\+10$/,
      );
    });

    it('is refused against --memory-budget, naming the result and its size', async () => {
      const text = await refusal(answerRunRequest(request, referenceEvaluator(100 * MiB)));
      expect(text).toMatch(
        /^reference evaluator: memory budget of 100 MiB exceeded at producing the result: it allocates \[4, 32, 32, 4, 32, 32\] = 16777216 float64 values \(128 MiB\)/,
      );
    });
  });
});
