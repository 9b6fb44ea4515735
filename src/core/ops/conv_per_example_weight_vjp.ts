import { weightGradientNetwork } from './weightGradient.ts';
import type { Operation } from './operation.ts';

export const convPerExampleWeightVjp: Operation = {
  name: 'conv_per_example_weight_vjp',
  inputs: ['x', 'v'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'Per-example weight gradients: the weight VJP keeping the batch index n, [N, C_out, C_in/G, *K].',
  build: (input) => weightGradientNetwork(input, true),
};
