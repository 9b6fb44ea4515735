import { convolutionNetwork } from './convolution.ts';
import type { Operation } from './operation.ts';

/** The convolution is linear in W, so its JVP is the forward pass with the tangent v for W. */
export const convWeightJvp: Operation = {
  name: 'conv_weight_jvp',
  inputs: ['x', 'v'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups'],
  summary:
    'Jacobian-vector product w.r.t. the weight: the forward pass with the tangent v (shaped like W) for W.',
  build: (input) => convolutionNetwork(input, 'x', 'x', 'v', 'V'),
};
