import { fail } from '../errors.ts';
import { withoutResults } from './document.ts';
import { CURRENT_FORMAT, readDocument, type DocumentFormat, type ReadResult } from './format.ts';
import { jsonErrorOffset } from './jsonError.ts';
import { NOTEBOOK_LIMITS } from './notebookLimits.ts';
import { describeIssue, type NotebookDocument } from './schema.ts';

/** Notebook files: the document as JSON (`*.einsketch.json`), read back through the schema. */

export const NOTEBOOK_FILE_SUFFIX = '.einsketch.json';

export interface ExportOptions {
  /** Keep the run cells' last results (default true; share links drop them). */
  includeResults?: boolean;
  /** JSON indentation (default 2; 0 for one line). */
  indent?: number;
}

/** The document as the text of a notebook file. Throws if the document is invalid. */
export function exportNotebook(doc: NotebookDocument, options: ExportOptions = {}): string {
  const checked = CURRENT_FORMAT.schema.safeParse(doc);
  if (!checked.success)
    fail(`cannot export an invalid notebook: ${describeIssue(checked.error.issues[0])}`);
  const value = options.includeResults === false ? withoutResults(checked.data) : checked.data;
  return `${JSON.stringify(value, null, options.indent ?? 2)}\n`;
}

/** "line 3, column 7" for a character offset. */
export function lineAndColumn(text: string, offset: number): string {
  let lineNo = 1;
  let start = 0;
  for (let j = 0; j < offset && j < text.length; j++) {
    if (text[j] === '\n') {
      lineNo++;
      start = j + 1;
    }
  }
  return `line ${lineNo}, column ${offset - start + 1}`;
}

/** JSON.parse with a one-line error that names the line and column. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const at = jsonErrorOffset(text);
    if (at < 0 || at >= text.length)
      return { ok: false, error: 'the text ends before the JSON value is complete' };
    const ch = JSON.stringify(text[at]);
    return { ok: false, error: `unexpected ${ch} at ${lineAndColumn(text, at)}` };
  }
}

/**
 * Reads a notebook file. Never throws: a bad file gives one line (not JSON, too large,
 * newer format, or the first schema problem with its path).
 */
export function importNotebook(text: string, format: DocumentFormat = CURRENT_FORMAT): ReadResult {
  if (typeof text !== 'string') return { ok: false, error: 'not a notebook file: expected text' };
  if (text.length > NOTEBOOK_LIMITS.maxFileLength) {
    return {
      ok: false,
      error: `not a notebook file: ${text.length} characters; the limit is ${NOTEBOOK_LIMITS.maxFileLength}`,
    };
  }
  const json = parseJson(text.replace(/^\uFEFF/, ''));
  if (!json.ok) return { ok: false, error: `not a notebook file: invalid JSON: ${json.error}` };
  const read = readDocument(json.value, format);
  return read.ok ? read : { ok: false, error: `not a notebook file: ${read.error}` };
}

/**
 * A safe file name for a notebook: letters, digits, '-' and '_' from the title (other
 * characters become '-'), at most 80 of them, with the notebook suffix.
 */
export function notebookFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 80)
    .replace(/[-_]+$/, '');
  return `${base || 'notebook'}${NOTEBOOK_FILE_SUFFIX}`;
}
