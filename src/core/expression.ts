import { fail } from './errors.ts';
import { formatEinsum, type EinsumStyle } from './einsum/index.ts';
import { product, type Network } from './network.ts';
import type { LinearPath } from './planner/cost.ts';
import { evaluateReference } from './reference/evaluateReference.ts';
import type { DenseTensor, Inputs } from './tensor.ts';

/**
 * A sum of networks with scalar coefficients: what the product rule gives when the tensor
 * being differentiated occurs several times (KFC's x and x′). Every term has the same
 * result shape; the value is Σ coefficient · (term's result reshaped to that shape). The
 * terms need not share index names: they are added entry by entry in the result layout.
 */
export interface Term {
  coefficient: number;
  network: Network;
}

export interface Expression {
  terms: Term[];
}

export function expressionResultShape(expr: Expression): number[] {
  if (expr.terms.length === 0) fail('an expression needs at least one term');
  const shape = expr.terms[0].network.resultShape;
  for (const { network } of expr.terms) {
    if (
      network.resultShape.length !== shape.length ||
      network.resultShape.some((s, a) => s !== shape[a])
    ) {
      fail(
        `the terms of an expression have result shapes [${shape.join(', ')}] and [${network.resultShape.join(', ')}]`,
      );
    }
  }
  return [...shape];
}

/**
 * The value of an expression with the float64 reference evaluator; `path` picks each
 * term's contraction path (operand order by default).
 */
export function evaluateExpression(
  expr: Expression,
  inputs: Inputs,
  path?: (net: Network) => LinearPath,
): DenseTensor {
  const shape = expressionResultShape(expr);
  const data = new Float64Array(product(shape));
  for (const { coefficient, network } of expr.terms) {
    const value = evaluateReference(network, inputs, path?.(network));
    for (let j = 0; j < data.length; j++) data[j] += coefficient * value.data[j];
  }
  return { shape, data };
}

/** The terms' einsums joined by their coefficients, e.g. `a b, b c -> a c + c b, b a -> a c`. */
export function formatExpression(expr: Expression, style: EinsumStyle = 'named'): string {
  return expr.terms
    .map(({ coefficient, network }, j) => {
      const sign = coefficient < 0 ? (j === 0 ? '-' : ' - ') : j === 0 ? '' : ' + ';
      const magnitude = Math.abs(coefficient);
      return `${sign}${magnitude === 1 ? '' : `${magnitude}·`}(${formatEinsum(network, style)})`;
    })
    .join('');
}
