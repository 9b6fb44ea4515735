import { convolutionNetwork } from './convolution.ts';
import type { Operation } from './operation.ts';

/** The convolution is linear in x, so its JVP is the forward pass on the tangent v. */
export const convInputJvp: Operation = {
  name: 'conv_input_jvp',
  inputs: ['v', 'weight'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups'],
  summary:
    'Jacobian-vector product w.r.t. the input: the forward pass with the tangent v (shaped like x) for x.',
  build: (input) => convolutionNetwork(input, 'v', 'V', 'weight', 'W'),
};
