import type { Sketch } from '../../../core/diagram/sketch.ts';
import { DEFAULT_PRESET_ID, presetSource } from '../../../core/diagram/presets.ts';

/** What a first visit starts with: the default preset, no steps. */
export function defaultDoc(): Sketch {
  return {
    diagram: { source: presetSource(DEFAULT_PRESET_ID), steps: [] },
    positions: {},
    disabledRules: [],
  };
}
