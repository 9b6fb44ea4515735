import type { z } from 'zod';
import { errorMessage } from '../errors.ts';
import { NOTEBOOK_LIMITS } from './notebookLimits.ts';
import {
  DOCUMENT_VERSION,
  describeIssue,
  documentSchema,
  type NotebookDocument,
} from './schema.ts';

/**
 * Versions of the document format and the migrations between them. Files and share links
 * carry the version they were written in (`version`); reading one applies the migrations
 * from that version up to the current one, then validates with the current schema. So a
 * link made by an older einsketch still opens.
 *
 * When the format changes:
 *  1. bump DOCUMENT_VERSION in schema.ts and change the schema;
 *  2. add `MIGRATIONS[old]`: a pure function from a (validated-shape) vN document to a
 *     vN+1 one; it receives parsed JSON and must not trust it beyond its shape;
 *  3. keep a vN link in the tests (test/core/share) and check it still opens.
 */

/** A migration from version n (the key) to n + 1. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export interface DocumentFormat<Doc = NotebookDocument> {
  /** The version this format writes and validates. */
  version: number;
  schema: z.ZodType<Doc>;
  /** MIGRATIONS[n] turns a version-n document into a version-(n+1) one. */
  migrations: Readonly<Record<number, Migration>>;
}

export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // 1 → 2: run cells gained `draws` (default 1) and results an optional `spread`; a
  // version 1 document is a valid version 2 one as it is.
  1: (doc) => ({ ...doc, version: 2 }),
};

export const CURRENT_FORMAT: DocumentFormat = {
  version: DOCUMENT_VERSION,
  schema: documentSchema,
  migrations: MIGRATIONS,
};

export type ReadResult<Doc = NotebookDocument> =
  | {
      ok: true;
      doc: Doc;
      /** The version it was written in, if older than the current one. */ migratedFrom?: number;
    }
  | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a parsed JSON value as a document of `format`: version check, migrations, cheap
 * size checks, then the schema. Never throws; the error is one line.
 */
export function readDocument<Doc = NotebookDocument>(
  raw: unknown,
  format: DocumentFormat<Doc> = CURRENT_FORMAT as unknown as DocumentFormat<Doc>,
): ReadResult<Doc> {
  if (!isRecord(raw))
    return { ok: false, error: 'a notebook is a JSON object with version, title and cells' };
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      error: `'version' must be a format version (a positive integer), got ${JSON.stringify(version) ?? 'nothing'}`,
    };
  }
  if (version > format.version) {
    return {
      ok: false,
      error: `this notebook was written in format version ${version}, newer than this einsketch reads (up to ${format.version}); update einsketch to open it`,
    };
  }
  let doc: Record<string, unknown> = raw;
  // Cheap checks before any further work: the number of cells bounds everything else.
  if (Array.isArray(doc.cells) && doc.cells.length > NOTEBOOK_LIMITS.maxCells) {
    return {
      ok: false,
      error: `the notebook has ${doc.cells.length} cells; the limit is ${NOTEBOOK_LIMITS.maxCells}`,
    };
  }
  for (let v = version; v < format.version; v++) {
    const migrate = format.migrations[v];
    if (!migrate) return { ok: false, error: `no migration from format version ${v} to ${v + 1}` };
    try {
      doc = migrate(doc);
    } catch (err) {
      return {
        ok: false,
        error: `cannot upgrade the notebook from format version ${v}: ${errorMessage(err)}`,
      };
    }
    if (!isRecord(doc))
      return { ok: false, error: `the upgrade from format version ${v} did not give a notebook` };
  }
  let parsed: ReturnType<typeof format.schema.safeParse>;
  try {
    parsed = format.schema.safeParse(doc);
  } catch (err) {
    return { ok: false, error: `invalid notebook: ${errorMessage(err)}` };
  }
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})`
        : '';
    return { ok: false, error: `invalid notebook: ${describeIssue(issues[0])}${more}` };
  }
  return version < format.version
    ? { ok: true, doc: parsed.data, migratedFrom: version }
    : { ok: true, doc: parsed.data };
}
