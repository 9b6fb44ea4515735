import { errorMessage } from '../errors.ts';
import { jsonErrorOffset } from '../notebook/jsonError.ts';
import { NOTEBOOK_LIMITS } from '../notebook/notebookLimits.ts';
import {
  DOCUMENT_VERSION,
  cellSchema,
  describeIssue,
  documentSchema,
  type Cell,
  type NotebookDocument,
} from '../notebook/schema.ts';
import { markdown } from './markdown.ts';

/**
 * Tutorials are Markdown files (tutorials/<slug>.md) read into notebook documents:
 *  - the first line is the title, `# Title`; the paragraph after it is the summary;
 *  - fenced blocks ```einsketch-diagram, ```einsketch-run and ```einsketch-chart hold a
 *    diagram, run or chart cell as JSON (the cell without `kind`; `id` is optional, a run
 *    cell without `diagram` evaluates the nearest diagram above it, and what a run cell
 *    estimates or a chart plots must stand above it);
 *  - the Markdown between blocks becomes prose cells.
 * Errors name the line of the file. Parsing never throws.
 */

export const MAX_TUTORIAL_LENGTH = 400_000;

const BLOCK_KINDS = {
  'einsketch-diagram': 'diagram',
  'einsketch-run': 'run',
  'einsketch-chart': 'chart',
} as const;
type BlockInfo = keyof typeof BLOCK_KINDS;

export interface Tutorial {
  slug?: string;
  title: string;
  /** The paragraph after the title (Markdown). */
  summary: string;
  doc: NotebookDocument;
}

export type TutorialResult =
  ({ ok: true } & Tutorial) | { ok: false; error: string; /** 1-based. */ line: number };

interface Located {
  line: number;
  message: string;
}

class TutorialError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function failAt(line: number, message: string): never {
  throw new TutorialError(line, message);
}

function lineOfOffset(text: string, offset: number): number {
  let n = 0;
  for (let j = 0; j < offset && j < text.length; j++) if (text[j] === '\n') n++;
  return n;
}

/** The JSON of a block as an object, or the line (in the file) where it goes wrong. */
function blockJson(content: string, firstLine: number, info: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    const at = jsonErrorOffset(content);
    const line = firstLine + lineOfOffset(content, at < 0 ? content.length : at);
    const what =
      at < 0 || at >= content.length
        ? 'the JSON ends too early'
        : `unexpected ${JSON.stringify(content[at])} in the JSON`;
    failAt(line, `${info} block: ${what}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    failAt(firstLine, `${info} block: expected a JSON object ({…}) describing the cell`);
  }
  return value as Record<string, unknown>;
}

function parse(text: string): Omit<Tutorial, 'slug'> {
  const source = text.replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const tokens = markdown('tex').parse(source, {});

  // Title: the first block must be a level-1 heading.
  const first = tokens[0];
  if (!first || first.type !== 'heading_open' || first.tag !== 'h1') {
    failAt((first?.map?.[0] ?? 0) + 1, "a tutorial starts with its title as a '# Title' line");
  }
  const title = tokens[1].content.trim();
  if (!title) failAt(1, 'the title is empty');
  if (title.length > NOTEBOOK_LIMITS.maxTitleLength)
    failAt(1, `the title is longer than ${NOTEBOOK_LIMITS.maxTitleLength} characters`);
  const afterTitle = tokens.findIndex((t) => t.type === 'heading_close');
  const para = tokens.slice(afterTitle + 1).find((t) => t.type === 'inline' && t.level === 1);
  const summary = para ? para.content.replace(/\s+/g, ' ').trim() : '';

  const cells: Cell[] = [];
  const ids = new Set<string>();
  let proseStart = first.map![1];
  let lastDiagram: string | null = null;
  let counter = 0;

  const addProse = (from: number, to: number) => {
    const chunk = lines
      .slice(from, to)
      .join('\n')
      .replace(/^\s*\n/, '')
      .trimEnd();
    if (!chunk.trim()) return;
    if (chunk.length > NOTEBOOK_LIMITS.maxProseLength) {
      failAt(
        from + 1,
        `the text from here to line ${to} is longer than ${NOTEBOOK_LIMITS.maxProseLength} characters: split it with a heading or a cell`,
      );
    }
    let id = `text-${++counter}`;
    while (ids.has(id)) id = `text-${++counter}`;
    ids.add(id);
    cells.push({ id, kind: 'prose', text: chunk });
  };

  for (const token of tokens) {
    if (token.type !== 'fence') continue;
    const info = token.info.trim().split(/\s+/)[0];
    if (!info.startsWith('einsketch')) continue;
    const fenceLine = token.map![0] + 1;
    if (!(info in BLOCK_KINDS)) {
      failAt(
        fenceLine,
        `unknown block '${info}' (einsketch blocks are ${Object.keys(BLOCK_KINDS).join(', ')})`,
      );
    }
    if (token.level > 0)
      failAt(fenceLine, `an ${info} block must not be nested in a list or quote`);
    const end = token.map![1];
    const closing = lines[end - 1]?.trim() ?? '';
    if (
      end - 1 === token.map![0] ||
      !closing.startsWith(token.markup[0]) ||
      closing.replace(/[`~]/g, '') !== ''
    ) {
      failAt(fenceLine, `the ${info} block is never closed (a line with ${token.markup} ends it)`);
    }
    addProse(proseStart, token.map![0]);
    proseStart = end;

    const kind = BLOCK_KINDS[info as BlockInfo];
    const raw = blockJson(token.content, fenceLine + 1, info);
    if ('kind' in raw && raw.kind !== kind)
      failAt(fenceLine, `${info} block: 'kind' must be '${kind}' or left out`);
    const cell: Record<string, unknown> = { ...raw, kind };
    if (cell.id === undefined) {
      let id = `${kind}-${++counter}`;
      while (ids.has(id)) id = `${kind}-${++counter}`;
      cell.id = id;
    }
    if (kind === 'run' && cell.diagram === undefined) {
      if (lastDiagram === null)
        failAt(
          fenceLine,
          `${info} block: there is no diagram above it to run (give "diagram": "<id>")`,
        );
      cell.diagram = lastDiagram;
    }
    const parsed = cellSchema.safeParse(cell);
    if (!parsed.success)
      failAt(fenceLine, `${info} block: ${describeIssue(parsed.error.issues[0])}`);
    const made = parsed.data;
    if (ids.has(made.id)) failAt(fenceLine, `${info} block: the id '${made.id}' is used twice`);
    const above = (id: string, kind: Cell['kind']) =>
      cells.some((c) => c.kind === kind && c.id === id);
    if (made.kind === 'run') {
      for (const id of [made.diagram, made.estimates])
        if (id !== undefined && !above(id, 'diagram'))
          failAt(fenceLine, `${info} block: '${id}' is not a diagram above this block`);
    }
    if (made.kind === 'chart') {
      const missing = made.series.flatMap((s) => s.runs).find((id) => !above(id, 'run'));
      if (missing !== undefined)
        failAt(fenceLine, `${info} block: '${missing}' is not a run cell above this block`);
    }
    ids.add(made.id);
    if (made.kind === 'diagram') lastDiagram = made.id;
    cells.push(made);
    if (cells.length > NOTEBOOK_LIMITS.maxCells)
      failAt(fenceLine, `a tutorial has at most ${NOTEBOOK_LIMITS.maxCells} cells`);
  }
  addProse(proseStart, lines.length);

  const doc = { version: DOCUMENT_VERSION, title, cells };
  const checked = documentSchema.safeParse(doc);
  if (!checked.success)
    failAt(1, `the tutorial is not a valid notebook: ${describeIssue(checked.error.issues[0])}`);
  return { title, summary, doc: checked.data };
}

/** Reads a tutorial; errors look like `tutorials/<slug>.md line 12: …`. */
export function parseTutorial(text: string, options: { slug?: string } = {}): TutorialResult {
  const where = (line: number) =>
    `${options.slug ? `tutorials/${options.slug}.md ` : ''}line ${line}`;
  const failure = (e: Located): TutorialResult => ({
    ok: false,
    line: e.line,
    error: `${where(e.line)}: ${e.message}`,
  });
  if (typeof text !== 'string') return failure({ line: 1, message: 'a tutorial is Markdown text' });
  if (text.length > MAX_TUTORIAL_LENGTH) {
    return failure({
      line: 1,
      message: `the file has ${text.length} characters; the limit is ${MAX_TUTORIAL_LENGTH}`,
    });
  }
  try {
    const result = parse(text);
    return { ok: true, slug: options.slug, ...result };
  } catch (err) {
    if (err instanceof TutorialError) return failure({ line: err.line, message: err.message });
    return failure({ line: 1, message: errorMessage(err) });
  }
}
