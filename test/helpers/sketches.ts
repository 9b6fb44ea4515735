import type { Sketch } from '../../src/core/diagram/sketch.ts';
import type { RuleName } from '../../src/core/rewrite/index.ts';
import type { DiagramSource, Step } from '../../src/core/notebook/index.ts';
import { presetSource } from '../../src/core/diagram/presets.ts';

/** The editor's work on an editor preset (or any source), with these steps. */
export function sketch(
  source: string | DiagramSource = 'conv_forward',
  steps: Step[] = [],
  disabledRules: RuleName[] = [],
): Sketch {
  return {
    diagram: { source: typeof source === 'string' ? presetSource(source) : source, steps },
    positions: {},
    disabledRules,
  };
}
