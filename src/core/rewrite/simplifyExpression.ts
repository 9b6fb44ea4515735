import type { Expression } from '../expression.ts';
import { simplify, type LoggedStep, type SimplifyOptions } from './simplify.ts';

export interface ExpressionSimplification {
  expression: Expression;
  /** The step log of each term, parallel to the terms. */
  steps: LoggedStep[][];
}

/** Simplifies every term of a sum on its own; coefficients are kept. */
export function simplifyExpression(
  expr: Expression,
  options: SimplifyOptions = {},
): ExpressionSimplification {
  const results = expr.terms.map((term) => simplify(term.network, options));
  return {
    expression: {
      terms: expr.terms.map((term, j) => ({
        coefficient: term.coefficient,
        network: results[j].network,
      })),
    },
    steps: results.map((r) => r.steps),
  };
}
