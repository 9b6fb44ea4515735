import { z } from 'zod';
import { errorMessage } from '../../../core/errors.ts';
import { RULE_NAMES } from '../../../core/rewrite/index.ts';
import { isOpName } from '../../../core/ops/index.ts';
import type { Doc } from './doc.ts';
import { derive } from './replayDoc.ts';

/**
 * The current work in localStorage. What comes back is checked twice: its shape against a
 * schema, then by deriving it; anything that fails is reported and the editor starts fresh.
 */
export const STORAGE_KEY = 'einsketch.editor.v1';
const VERSION = 1;

const numbers = z.array(z.number());
const layer = z.object({
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

// Networks are checked structurally by checkNetwork when the document is derived.
const network = z.object({
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
    layer,
  }),
  z.object({ kind: z.literal('einsum'), equation: z.string(), shapes: z.string() }),
  z.object({ kind: z.literal('network'), network }),
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

const doc = z.object({
  source,
  actions: z.array(action),
  positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })),
  disabledRules: z.array(z.enum(RULE_NAMES as [string, ...string[]])),
});

const saved = z.object({ version: z.literal(VERSION), doc });

export function serialize(d: Doc): string {
  return JSON.stringify({ version: VERSION, doc: d });
}

export type Restored =
  { kind: 'empty' } | { kind: 'ok'; doc: Doc } | { kind: 'corrupt'; reason: string };

/** Reads a saved document back; `corrupt` says in one line what was wrong with it. */
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
  const result = parsed.data.doc as unknown as Doc;
  try {
    derive(result);
  } catch (err) {
    return { kind: 'corrupt', reason: errorMessage(err) };
  }
  return { kind: 'ok', doc: result };
}
