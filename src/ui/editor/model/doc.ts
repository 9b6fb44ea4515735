import type { Sketch } from '../../../core/diagram/sketch.ts';
import type { LayerConfig } from '../../../core/layer.ts';
import type { PresetSource } from '../../../core/notebook/index.ts';
import { DEFAULT_PRESET_ID, getPreset } from './editorPresets.ts';

/** A preset of the editor's palette as a diagram source (its layer, or `layer`). */
export function presetSource(presetId: string, layer?: LayerConfig): PresetSource {
  const preset = getPreset(presetId) ?? getPreset(DEFAULT_PRESET_ID)!;
  return {
    kind: 'preset',
    op: preset.op,
    layer: structuredClone(layer ?? preset.layer),
    presetId: preset.id,
  };
}

/** What a first visit starts with: the default preset, no steps. */
export function defaultDoc(): Sketch {
  return {
    diagram: { source: presetSource(DEFAULT_PRESET_ID), steps: [] },
    positions: {},
    disabledRules: [],
  };
}
