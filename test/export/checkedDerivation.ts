import type { LayerConfig } from '../../src/core/layer.ts';
import type { DiagramCell, Step } from '../../src/core/notebook/index.ts';
import { copyLayer, PRESET_LAYER_2D } from '../helpers/smallPresets.ts';

/**
 * The layer the step-check export tests derive from: strided, padded and grouped, so a VJP
 * or JVP step exercises every part of Π, and small enough for float32 checks to be exact.
 */
export const checkedLayer: LayerConfig = {
  ...copyLayer(PRESET_LAYER_2D),
  batch: 3,
  input: [9, 9],
  stride: [2, 2],
};

/** A convolution on that layer followed by `steps`. */
export const checkedDerivation = (
  steps: Step[],
): Pick<DiagramCell, 'source' | 'steps' | 'title'> => ({
  source: { kind: 'preset', op: 'conv_forward', layer: checkedLayer },
  steps,
  title: 'derivation',
});
