import { kroneckerFactorNetwork } from './kroneckerFactor.ts';
import type { Operation } from './operation.ts';

export const convTransposeKfacReduce: Operation = {
  name: 'conv_transpose_kfac_reduce',
  inputs: ['x'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size', 'output_padding'],
  summary: 'KFAC-reduce input factor of a transpose convolution, / (N·(∏I)²).',
  build: (input) => kroneckerFactorNetwork(input, { shareOutput: false, transpose: true }),
};
