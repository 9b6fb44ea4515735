import type { LayerConfig } from '../../src/core/layer.ts';
import type { DiagramCell, Step } from '../../src/core/notebook/index.ts';

/**
 * The layer the step-check export tests derive from: strided, padded and grouped, so a VJP
 * or JVP step exercises every part of Π, and small enough for float32 checks to be exact.
 */
export const checkedLayer: LayerConfig = {
  batch: 3,
  inChannels: 4,
  outChannels: 6,
  input: [9, 9],
  kernel: [3, 3],
  stride: [2, 2],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

/** A convolution on that layer followed by `steps`. */
export const checkedDerivation = (
  steps: Step[],
): Pick<DiagramCell, 'source' | 'steps' | 'title'> => ({
  source: { kind: 'preset', op: 'conv_forward', layer: checkedLayer },
  steps,
  title: 'derivation',
});
