import { z } from 'zod';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { isOpName } from '../../../core/ops/index.ts';
import type { DiagramSource, Step } from '../../../core/notebook/index.ts';
import { RULE_NAMES, type RuleName } from '../../../core/rewrite/index.ts';
import type { Network } from '../../../core/network.ts';
import { stepSource } from '../../../core/diagram/sketchActions.ts';
import { einsumSource } from './einsumInput.ts';
import { derive } from './replayDoc.ts';

// The editor's saves are checked for their structure only (derive checks the rest): a
// network drawn in the editor may use names and sizes a notebook cell refuses, and the work
// must come back after a reload all the same.

/**
 * Format 1 of the editor's saved work (einsketch before the one diagram model): a source
 * and "actions" naming tensors by id, with the rules switched off for the whole document.
 * Saves and editing sessions written then are read through this migration into a sketch
 * (source + steps) that shows the same network.
 */
const numbers = z.array(z.number());
export const looseLayer = z.object({
  batch: z.number(),
  inChannels: z.number(),
  outChannels: z.number(),
  input: numbers,
  kernel: numbers,
  stride: numbers,
  padding: z.union([numbers, z.literal('same'), z.literal('valid')]),
  dilation: numbers,
  groups: z.number(),
  outputPadding: numbers,
});

// Networks are checked structurally when the migrated sketch is derived.
export const looseNetwork = z.object({
  sizes: z.record(z.string(), z.number()),
  tensors: z.array(
    z
      .object({ id: z.string(), label: z.string(), kind: z.string(), legs: z.array(z.string()) })
      .loose(),
  ),
  output: z.array(z.string()),
  resultShape: numbers,
});

const source = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('preset'),
    presetId: z.string(),
    op: z.string().refine(isOpName, 'unknown op'),
    layer: looseLayer,
  }),
  z.object({ kind: z.literal('einsum'), equation: z.string(), shapes: z.string() }),
  z.object({ kind: z.literal('network'), network: looseNetwork }),
]);

const diff = (kind: 'derivative' | 'vjp' | 'jvp') =>
  z.object({
    kind: z.literal(kind),
    tensorId: z.string(),
    source: z.string().optional(),
    allOccurrences: z.boolean().optional(),
    term: z.number(),
  });

const action = z.discriminatedUnion('kind', [
  diff('derivative'),
  diff('vjp'),
  diff('jvp'),
  z.object({ kind: z.literal('simplify'), at: z.union([z.number(), z.literal('end')]) }),
  z.object({
    kind: z.literal('dropout'),
    index: z.string(),
    fraction: z.number(),
    seed: z.number(),
  }),
]);

export const docV1 = z.object({
  source,
  actions: z.array(action),
  positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })),
  disabledRules: z.array(z.enum(RULE_NAMES as [string, ...string[]])),
});

export type DocV1 = z.infer<typeof docV1>;

function sourceOf(s: DocV1['source']): DiagramSource {
  switch (s.kind) {
    case 'preset':
      return { kind: 'preset', op: s.op as never, layer: s.layer, presetId: s.presetId };
    case 'einsum':
      return einsumSource(s.equation, s.shapes);
    case 'network':
      return { kind: 'network', network: s.network as Network };
  }
}

/** A format-1 document as a sketch; throws an EinsketchError if its actions do not replay. */
export function migrateV1(doc: DocV1): Sketch {
  const disabledRules = doc.disabledRules as RuleName[];
  const disabled = disabledRules.length ? { disabled: [...disabledRules] as never } : {};
  const steps: Step[] = [];
  const diagram = { source: sourceOf(doc.source), steps };
  for (const a of doc.actions) {
    if (a.kind === 'simplify') {
      steps.push({ kind: 'simplify', ...(a.at === 'end' ? {} : { steps: a.at }), ...disabled });
    } else if (a.kind === 'dropout') {
      steps.push({ kind: 'dropout', index: a.index, keep: a.fraction, seed: a.seed });
    } else {
      // The tensor an action names is one of the network it was applied to.
      const net = derive({ diagram, positions: {}, disabledRules }).network;
      const input = a.source ?? stepSource(net, a.tensorId);
      steps.push(
        a.kind === 'derivative' && !a.allOccurrences
          ? { kind: 'derivative', source: input, occurrence: a.tensorId, term: a.term }
          : ({ kind: a.kind, source: input, term: a.term } as Step),
      );
    }
  }
  return { diagram, positions: doc.positions, disabledRules };
}
