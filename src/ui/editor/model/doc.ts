import type { LayerConfig } from '../../../core/layer.ts';
import type { Network } from '../../../core/network.ts';
import type { OpName } from '../../../core/ops/index.ts';
import type { RuleName } from '../../../core/rewrite/rule.ts';
import type { Point } from '../../diagram/diagramLayout.ts';
import { DEFAULT_PRESET_ID, getPreset } from './editorPresets.ts';

/**
 * The user's work: where the network comes from and the actions applied to it since.
 * Keeping actions (rather than only their result) is what lets a hyper-parameter edit
 * re-derive a VJP and re-run the simplifier live. A hand edit freezes the current network
 * into a 'network' source, since drawing has no meaning on a rebuilt preset.
 */
export type Source =
  | { kind: 'preset'; presetId: string; op: OpName; layer: LayerConfig }
  | { kind: 'einsum'; equation: string; shapes: string }
  | { kind: 'network'; network: Network };

export type DiffKind = 'derivative' | 'vjp' | 'jvp';

export type Action =
  /**
   * Differentiate w.r.t. one tensor occurrence (derivative), or w.r.t. every occurrence of
   * a data source (allOccurrences, VJP, JVP); `term` picks the term of the resulting sum the
   * diagram continues with.
   */
  | { kind: DiffKind; tensorId: string; source?: string; allOccurrences?: boolean; term: number }
  /** Simplification steps shown: a count, or every step to the end. */
  | { kind: 'simplify'; at: number | 'end' }
  /** Tensor dropout: keep a seeded random fraction of a summed index (replayable). */
  | { kind: 'dropout'; index: string; fraction: number; seed: number };

export interface Doc {
  source: Source;
  actions: Action[];
  /** Nodes the user moved, by diagram node id (top-left corner). */
  positions: Record<string, Point>;
  disabledRules: RuleName[];
}

export function presetSource(presetId: string, layer?: LayerConfig): Source {
  const preset = getPreset(presetId) ?? getPreset(DEFAULT_PRESET_ID)!;
  return {
    kind: 'preset',
    presetId: preset.id,
    op: preset.op,
    layer: structuredClone(layer ?? preset.layer),
  };
}

export function defaultDoc(): Doc {
  return { source: presetSource(DEFAULT_PRESET_ID), actions: [], positions: {}, disabledRules: [] };
}
