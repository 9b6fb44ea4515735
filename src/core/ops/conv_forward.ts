import { convolutionNetwork } from './convolution.ts';
import type { Operation } from './types.ts';

export const convForward: Operation = {
  name: 'conv_forward',
  inputs: ['x', 'weight'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups'],
  summary: 'Convolution y = x ⋆ W (PyTorch convNd).',
  build: (input) => convolutionNetwork(input, 'x', 'x', 'weight', 'W'),
};
