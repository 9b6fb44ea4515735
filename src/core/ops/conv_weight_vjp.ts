import { weightGradientNetwork } from './weightGradient.ts';
import type { Operation } from './operation.ts';

export const convWeightVjp: Operation = {
  name: 'conv_weight_vjp',
  inputs: ['x', 'v'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'Vector-Jacobian product w.r.t. the weight (the weight gradient), summed over the batch.',
  build: (input) => weightGradientNetwork(input, false),
};
