import { z } from 'zod';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { errorMessage } from '../../../core/errors.ts';
import { diagramSourceSchema, stepSchema } from '../../../core/notebook/index.ts';
import { RULE_NAMES } from '../../../core/rewrite/index.ts';
import { docV1, migrateV1 } from './persistV1.ts';
import { derive } from './replayDoc.ts';

/**
 * The current work in localStorage. What comes back is checked twice: its shape against a
 * schema (the notebook format's own source and steps), then by deriving it; anything that
 * fails is reported and the editor starts fresh. Format 1 (source + actions) is migrated.
 */
export const STORAGE_KEY = 'einsketch.editor.v1';
export const SAVE_VERSION = 2;

const point = z.object({ x: z.number(), y: z.number() });

const sketch = z.object({
  diagram: z.object({ source: diagramSourceSchema, steps: z.array(stepSchema) }),
  positions: z.record(z.string(), point),
  disabledRules: z.array(z.enum(RULE_NAMES as [string, ...string[]])),
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
  | { kind: 'ok'; doc: Sketch; /** Format of the save, when older than this one. */ migratedFrom?: number }
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
    const result = data.version === 1 ? migrateV1(data.doc) : (data.doc as Sketch);
    derive(result);
    return data.version === 1 ? { kind: 'ok', doc: result, migratedFrom: 1 } : { kind: 'ok', doc: result };
  } catch (err) {
    return { kind: 'corrupt', reason: errorMessage(err) };
  }
}
