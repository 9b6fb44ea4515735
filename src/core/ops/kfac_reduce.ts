import { kroneckerFactorNetwork } from './kroneckerFactor.ts';
import type { Operation } from './operation.ts';

export const kfacReduce: Operation = {
  name: 'kfac_reduce',
  inputs: ['x'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'KFAC-reduce input factor: the unfolded input summed over o, outer product over n, / (N·(∏O)²).',
  build: (input) => kroneckerFactorNetwork(input, { shareOutput: false, transpose: false }),
};
