import type { Operation } from './operation.ts';
import { weightGradientPairNetwork } from './weightGradientPair.ts';

/**
 * The GGN Gram matrix of the layer's weight (ViViT): Ĝ[(c n), (c′ n′)] = ⟨G_{c,n}, G_{c′,n′}⟩
 * with G_{c,n} the weight VJP of s[c, n] on x[n]. It shares its nonzero eigenvalues with
 * the layer's GGN block; with s the one-hot rows of the output it is the layer's NTK.
 */
export const ggnGram: Operation = {
  name: 'ggn_gram',
  inputs: ['x', 's'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'GGN Gram matrix (NTK block) of the weight, rows and columns (c, n) c-major: [C·N, C·N].',
  build: (input) => weightGradientPairNetwork(input, { source: 's', result: 'gram' }),
};
