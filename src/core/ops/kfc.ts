import { kroneckerFactorNetwork } from './kroneckerFactor.ts';
import type { Operation } from './operation.ts';

export const kfc: Operation = {
  name: 'kfc',
  inputs: ['x'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups', 'kernel_size'],
  summary:
    'KFC / KFAC-expand input factor: unfolded input times its transpose over n and o, divided by N.',
  build: (input) => kroneckerFactorNetwork(input, { shareOutput: true, transpose: false }),
};
