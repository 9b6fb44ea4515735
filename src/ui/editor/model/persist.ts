import { z } from 'zod';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { errorMessage } from '../../../core/errors.ts';
import { isOpName } from '../../../core/ops/index.ts';
import { RULE_NAMES } from '../../../core/rewrite/index.ts';
import { docV1, looseLayer, looseNetwork, migrateV1 } from './persistV1.ts';
import { derive } from './replayDoc.ts';

/**
 * The current work in localStorage. What comes back is checked twice: its shape against a
 * schema (the notebook format's own source and steps), then by deriving it; anything that
 * fails is reported and the editor starts fresh. Format 1 (source + actions) is migrated.
 */
export const STORAGE_KEY = 'einsketch.editor.v1';
export const SAVE_VERSION = 2;

const point = z.object({ x: z.number(), y: z.number() });
const name = z.string();
const term = z.number().int().min(0).optional();
const rules = z.array(z.enum(RULE_NAMES as [string, ...string[]]));

// The notebook format's sources and steps, checked for their structure only (see persistV1.ts).
const source = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('preset'),
    op: z.string().refine(isOpName, 'unknown op'),
    layer: looseLayer,
    name: name.optional(),
    presetId: name.optional(),
  }),
  z.object({
    kind: z.literal('einsum'),
    equation: name,
    shapes: z.array(z.array(z.number())),
    names: z.array(name).optional(),
  }),
  z.object({ kind: z.literal('network'), network: looseNetwork }),
]);

const step = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('derivative'), source: name, occurrence: name.optional(), term }),
  z.object({ kind: z.literal('vjp'), source: name, vector: name.optional(), term }),
  z.object({ kind: z.literal('jvp'), source: name, tangent: name.optional(), term }),
  z.object({ kind: z.literal('simplify'), steps: term, disabled: rules.optional() }),
  z.object({
    kind: z.literal('dropout'),
    index: name,
    keep: z.number().gt(0).max(1),
    seed: z.number(),
  }),
  z.object({ kind: z.literal('squared_norm'), keep: z.array(name) }),
]);

const sketch = z.object({
  diagram: z.object({ source, steps: z.array(step) }),
  positions: z.record(z.string(), point),
  disabledRules: rules,
});

const saved = z.discriminatedUnion('version', [
  z.object({ version: z.literal(SAVE_VERSION), doc: sketch }),
  z.object({ version: z.literal(1), doc: docV1 }),
]);

export function serialize(s: Sketch): string {
  return JSON.stringify({ version: SAVE_VERSION, doc: s });
}

export type Restored =
  | { kind: 'empty' }
  | {
      kind: 'ok';
      doc: Sketch;
      /** Format of the save, when older than this one. */ migratedFrom?: number;
    }
  | { kind: 'corrupt'; reason: string };

/** Reads a saved sketch back; `corrupt` says in one line what was wrong with it. */
export function deserialize(text: string | null): Restored {
  if (text === null) return { kind: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (_err) {
    return { kind: 'corrupt', reason: 'it is not valid JSON' };
  }
  const parsed = saved.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'corrupt', reason: `${issue.path.join('.') || 'document'}: ${issue.message}` };
  }
  try {
    const { data } = parsed;
    const result = data.version === 1 ? migrateV1(data.doc) : (data.doc as unknown as Sketch);
    derive(result);
    return data.version === 1
      ? { kind: 'ok', doc: result, migratedFrom: 1 }
      : { kind: 'ok', doc: result };
  } catch (err) {
    return { kind: 'corrupt', reason: errorMessage(err) };
  }
}
