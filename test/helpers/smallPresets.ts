import type { LayerConfig } from '../../src/core/layer.ts';
import { OP_NAMES, type OpName } from '../../src/core/ops/index.ts';
import type { PresetSource } from '../../src/core/notebook/schema.ts';

/**
 * Test presets: every operation on a small 2-d layer. The default 2-d layer: small enough to draw and evaluate anywhere,
 * with every hyper-parameter visible (3×3 kernel, padding 1, two groups).
 */
export const PRESET_LAYER_2D: Readonly<LayerConfig> = Object.freeze({
  batch: 2,
  inChannels: 4,
  outChannels: 6,
  input: [8, 8],
  kernel: [3, 3],
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
});

export function copyLayer(layer: Readonly<LayerConfig>): LayerConfig {
  return {
    ...layer,
    input: [...layer.input],
    kernel: [...layer.kernel],
    stride: [...layer.stride],
    padding: Array.isArray(layer.padding) ? [...layer.padding] : layer.padding,
    dilation: [...layer.dilation],
    outputPadding: [...layer.outputPadding],
  };
}

/** The preset of an operation: the op on the default 2-d layer (or on `layer`). */
export function smallPreset(
  op: OpName,
  layer: Readonly<LayerConfig> = PRESET_LAYER_2D,
): PresetSource {
  return { kind: 'preset', op, layer: copyLayer(layer) };
}

/** Every preset, in menu order. */
export const SMALL_PRESETS: readonly PresetSource[] = OP_NAMES.map((op) => smallPreset(op));
