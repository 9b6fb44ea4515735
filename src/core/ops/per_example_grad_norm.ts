import type { Operation } from './operation.ts';
import { weightGradientPairNetwork } from './weightGradientPair.ts';

/** BackPACK's BatchL2Grad: ‖G_n‖² = Σ_{g,c_out,c_in,k} G[n g c_out c_in k…]², one network. */
export const perExampleGradNorm: Operation = {
  name: 'per_example_grad_norm',
  inputs: ['x', 'v'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary: 'Squared Frobenius norm of each example’s weight gradient (BackPACK BatchL2Grad): [N].',
  build: (input) => weightGradientPairNetwork(input, { source: 'v', result: 'per_example' }),
};
