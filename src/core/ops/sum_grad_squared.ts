import type { Operation } from './operation.ts';
import { weightGradientPairNetwork } from './weightGradientPair.ts';

/** BackPACK's SumGradSquared: Σ_n G[n g c_out c_in k…]², the second moment of the gradients. */
export const sumGradSquared: Operation = {
  name: 'sum_grad_squared',
  inputs: ['x', 'v'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'Sum over examples of the squared per-example weight gradients (BackPACK SumGradSquared): [C_out, C_in/G, *K].',
  build: (input) => weightGradientPairNetwork(input, { source: 'v', result: 'weight' }),
};
