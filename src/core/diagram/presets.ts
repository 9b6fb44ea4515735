import type { LayerConfig } from '../layer.ts';
import type { PresetSource } from '../notebook/schema.ts';
import { OP_NAMES, OPERATIONS, type OpName } from '../ops/index.ts';

/**
 * The palette: one preset per operation of the library, plus convolutions whose index
 * patterns are dense (K = S, no padding) so the simplifier has something to show.
 */
export interface Preset {
  id: string;
  title: string;
  op: OpName;
  summary: string;
  layer: LayerConfig;
}

export const DEFAULT_LAYER: LayerConfig = {
  batch: 8,
  inChannels: 16,
  outChannels: 32,
  input: [32, 32],
  kernel: [3, 3],
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

const OP_TITLES: Record<OpName, string> = {
  conv_forward: 'Convolution',
  conv_input_vjp: 'Input VJP (transpose conv)',
  conv_weight_vjp: 'Weight VJP',
  conv_input_jvp: 'Input JVP',
  conv_weight_jvp: 'Weight JVP',
  conv_transpose_forward: 'Transpose convolution',
  unfold: 'Unfold (im2col)',
  unfold_transpose: 'Transpose unfold',
  kfc: 'KFC (KFAC-expand)',
  kfac_reduce: 'KFAC-reduce',
  conv_transpose_kfac_reduce: 'Transpose KFAC-reduce',
  conv_per_example_weight_vjp: 'Per-example weight VJP',
  avg_pool: 'Average pooling',
  fold: 'Fold (col2im)',
  unfold_kernel: 'Unfolded kernel (Toeplitz)',
  per_example_grad_norm: 'Per-example gradient norms',
  sum_grad_squared: 'Sum of squared gradients',
  ggn_diagonal: 'GGN diagonal',
  ggn_gram: 'GGN Gram matrix (NTK)',
};

/**
 * Layers for operations whose result grows with the square of the layer: the Toeplitz
 * matrix of the default layer has (32·32·32)·(16·32·32) entries, the Gram matrix (10·N)².
 */
const OP_LAYERS: Partial<Record<OpName, LayerConfig>> = {
  unfold_kernel: { ...DEFAULT_LAYER, inChannels: 3, outChannels: 4, input: [8, 8] },
};

const opPresets: Preset[] = OP_NAMES.map((op) => ({
  id: op,
  title: OP_TITLES[op],
  op,
  summary: OPERATIONS[op].summary,
  layer: OP_LAYERS[op] ?? DEFAULT_LAYER,
}));

export const PRESETS: readonly Preset[] = [
  ...opPresets,
  {
    id: 'dense_patchify',
    title: 'Patchify (K = S, ViT / ConvNeXt stem)',
    op: 'conv_forward',
    summary:
      'Non-overlapping patches: every Π is dense and the convolution is a reshape plus a matrix product.',
    layer: {
      ...DEFAULT_LAYER,
      inChannels: 3,
      outChannels: 64,
      input: [32, 32],
      kernel: [4, 4],
      stride: [4, 4],
      padding: 'valid',
    },
  },
  {
    id: 'pointwise',
    title: 'Pointwise (1×1) convolution',
    op: 'conv_forward',
    summary: 'K = S = 1: Π is the identity and the convolution is a matrix product over channels.',
    layer: { ...DEFAULT_LAYER, kernel: [1, 1], padding: 'valid' },
  },
];

export const DEFAULT_PRESET_ID = 'conv_forward';

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** A preset of the palette as a diagram source (its layer, or `layer`). */
export function presetSource(presetId: string, layer?: LayerConfig): PresetSource {
  const preset = getPreset(presetId) ?? getPreset(DEFAULT_PRESET_ID)!;
  return {
    kind: 'preset',
    op: preset.op,
    layer: structuredClone(layer ?? preset.layer),
    presetId: preset.id,
  };
}
