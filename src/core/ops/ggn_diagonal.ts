import type { Operation } from './operation.ts';
import { weightGradientPairNetwork } from './weightGradientPair.ts';

/**
 * Diagonal of the generalised Gauss-Newton matrix of the layer's weight: with the loss
 * Hessian factored as Σ_c s_c s_cᵀ, diag(GGN) = Σ_c Σ_n (weight VJP of s[c, n] on x[n])².
 */
export const ggnDiagonal: Operation = {
  name: 'ggn_diagonal',
  inputs: ['x', 's'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'GGN diagonal of the weight from the rows s [C, N, C_out, *O] of a square-root loss-Hessian factor: [C_out, C_in/G, *K].',
  build: (input) => weightGradientPairNetwork(input, { source: 's', result: 'weight' }),
};
