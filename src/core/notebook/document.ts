import { fail } from '../errors.ts';
import { NOTEBOOK_LIMITS } from './notebookLimits.ts';
import {
  DOCUMENT_VERSION,
  cellSchema,
  describeIssue,
  type Cell,
  type CellInput,
  type CellKind,
  type DiagramCell,
  type DiagramSource,
  type NotebookDocument,
  type ProseCell,
  type RunCell,
  type RunResult,
} from './schema.ts';

/**
 * Pure operations on a notebook document: each returns a new document and leaves the old
 * one untouched (so an undo history can keep them), and throws an EinsketchError with one
 * line when the edit is impossible (unknown cell, a run cell pointing nowhere, …).
 */

export function emptyDocument(title = 'Untitled notebook'): NotebookDocument {
  return { version: DOCUMENT_VERSION, title, cells: [] };
}

const PREFIX: Record<CellKind, string> = {
  prose: 'text',
  diagram: 'diagram',
  run: 'run',
  chart: 'chart',
};

/** An id no cell of the document has yet: text-1, diagram-2, run-3, … */
export function freshCellId(doc: NotebookDocument, kind: CellKind): string {
  const taken = new Set(doc.cells.map((c) => c.id));
  for (let n = 1; ; n++) {
    const id = `${PREFIX[kind]}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Validates one cell and fills in its defaults (view settings, run options). */
export function makeCell(input: CellInput): Cell {
  const parsed = cellSchema.safeParse(input);
  if (!parsed.success) fail(`invalid cell: ${describeIssue(parsed.error.issues[0])}`);
  return parsed.data;
}

export function proseCell(id: string, text: string): ProseCell {
  return makeCell({ id, kind: 'prose', text }) as ProseCell;
}

export function diagramCell(
  id: string,
  source: DiagramSource,
  options: Partial<Pick<DiagramCell, 'title' | 'steps' | 'view'>> = {},
): DiagramCell {
  return makeCell({ id, kind: 'diagram', source, ...options }) as DiagramCell;
}

export function runCell(
  id: string,
  diagram: string,
  options: Partial<Omit<RunCell, 'id' | 'kind' | 'diagram'>> = {},
): RunCell {
  return makeCell({ id, kind: 'run', diagram, ...options }) as RunCell;
}

function indexOfCell(doc: NotebookDocument, id: string): number {
  const at = doc.cells.findIndex((c) => c.id === id);
  if (at < 0) fail(`no cell '${id}' in the notebook`);
  return at;
}

export function getCell(doc: NotebookDocument, id: string): Cell {
  return doc.cells[indexOfCell(doc, id)];
}

function checkRunTarget(cells: readonly Cell[], cell: Cell): void {
  const isKind = (id: string, kind: CellKind) => cells.some((c) => c.id === id && c.kind === kind);
  if (cell.kind === 'run') {
    if (!isKind(cell.diagram, 'diagram'))
      fail(`run cell '${cell.id}' needs a diagram cell '${cell.diagram}' in the notebook`);
    if (cell.estimates !== undefined && !isKind(cell.estimates, 'diagram'))
      fail(`run cell '${cell.id}' estimates '${cell.estimates}', which is not a diagram cell`);
  }
  if (cell.kind === 'chart') {
    const missing = cell.series.flatMap((s) => s.runs).find((id) => !isKind(id, 'run'));
    if (missing !== undefined)
      fail(`chart cell '${cell.id}' plots '${missing}', which is not a run cell`);
  }
}

/** Inserts a cell at `index` (default: the end). */
export function addCell(
  doc: NotebookDocument,
  cell: CellInput,
  index = doc.cells.length,
): NotebookDocument {
  if (doc.cells.length >= NOTEBOOK_LIMITS.maxCells)
    fail(`a notebook holds at most ${NOTEBOOK_LIMITS.maxCells} cells`);
  if (!Number.isInteger(index) || index < 0 || index > doc.cells.length) {
    fail(`cannot insert at position ${index} of a notebook with ${doc.cells.length} cells`);
  }
  const made = makeCell(cell);
  if (doc.cells.some((c) => c.id === made.id)) fail(`a cell '${made.id}' already exists`);
  checkRunTarget(doc.cells, made);
  const cells = [...doc.cells];
  cells.splice(index, 0, made);
  return { ...doc, cells };
}

/** Moves a cell so that it ends up at position `to` (0-based, clamped to the notebook). */
export function moveCell(doc: NotebookDocument, id: string, to: number): NotebookDocument {
  const from = indexOfCell(doc, id);
  if (!Number.isInteger(to)) fail(`cannot move to position ${to}`);
  const target = Math.max(0, Math.min(doc.cells.length - 1, to));
  if (target === from) return doc;
  const cells = [...doc.cells];
  const [cell] = cells.splice(from, 1);
  cells.splice(target, 0, cell);
  return { ...doc, cells };
}

export type CellPatch<K extends CellKind> = Partial<
  Omit<Extract<Cell, { kind: K }>, 'id' | 'kind'>
>;

/** Changes fields of a cell (not its id or kind); the result is validated. */
export function updateCell<K extends CellKind>(
  doc: NotebookDocument,
  id: string,
  patch: CellPatch<K>,
): NotebookDocument {
  const at = indexOfCell(doc, id);
  const old = doc.cells[at];
  if ('id' in patch || 'kind' in patch) fail("an edit cannot change a cell's id or kind");
  const next = makeCell({ ...old, ...patch } as CellInput);
  checkRunTarget(doc.cells, next);
  const cells = [...doc.cells];
  cells[at] = next;
  return { ...doc, cells };
}

/** Replaces a cell with another of any kind that keeps the id. */
export function replaceCell(doc: NotebookDocument, id: string, cell: CellInput): NotebookDocument {
  const at = indexOfCell(doc, id);
  const next = makeCell(cell);
  if (next.id !== id) fail(`the replacement of cell '${id}' has id '${next.id}'`);
  const cells = [...doc.cells];
  cells[at] = next;
  checkRunTarget(cells, next);
  const orphan = cells.find((c) => c.kind === 'run' && c.diagram === id && next.kind !== 'diagram');
  if (orphan) fail(`run cell '${orphan.id}' evaluates '${id}', which would no longer be a diagram`);
  // Estimates and charts point at cells too; every reference must still hold.
  for (const c of cells) checkRunTarget(cells, c);
  return { ...doc, cells };
}

/** Run cells that evaluate the diagram `id` (deleted with it). */
export function dependentCells(doc: NotebookDocument, id: string): RunCell[] {
  return doc.cells.filter((c): c is RunCell => c.kind === 'run' && c.diagram === id);
}

/**
 * Deletes a cell; deleting a diagram also deletes the run cells that evaluate it. Run cells
 * that estimated a deleted diagram lose that comparison; charts lose the deleted runs'
 * points (and a chart left without points goes too).
 */
export function deleteCell(doc: NotebookDocument, id: string): NotebookDocument {
  indexOfCell(doc, id);
  const gone = new Set([id, ...dependentCells(doc, id).map((c) => c.id)]);
  const cells: Cell[] = [];
  for (const c of doc.cells) {
    if (gone.has(c.id)) continue;
    if (c.kind === 'run' && c.estimates !== undefined && gone.has(c.estimates)) {
      const { estimates: _dropped, ...rest } = c;
      void _dropped;
      cells.push(rest);
    } else if (c.kind === 'chart' && c.series.some((s) => s.runs.some((r) => gone.has(r)))) {
      const series = c.series
        .map((s) => ({ ...s, runs: s.runs.filter((r) => !gone.has(r)) }))
        .filter((s) => s.runs.length > 0);
      if (series.length > 0) cells.push({ ...c, series });
    } else cells.push(c);
  }
  return { ...doc, cells };
}

export function setTitle(doc: NotebookDocument, title: string): NotebookDocument {
  if (title.length > NOTEBOOK_LIMITS.maxTitleLength)
    fail(`a title has at most ${NOTEBOOK_LIMITS.maxTitleLength} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(title)) fail('a title is one line without control characters');
  return { ...doc, title };
}

/** Stores the outcome of a run on its run cell. */
export function setRunResult(
  doc: NotebookDocument,
  id: string,
  result: RunResult | null,
): NotebookDocument {
  const cell = getCell(doc, id);
  if (cell.kind !== 'run') fail(`cell '${id}' is a ${cell.kind} cell, not a run cell`);
  return updateCell<'run'>(doc, id, { lastResult: result });
}

/** Run results dropped (e.g. before sharing: the receiver runs the cells again). */
export function withoutResults(doc: NotebookDocument): NotebookDocument {
  return {
    ...doc,
    cells: doc.cells.map((c) =>
      c.kind === 'run' && c.lastResult !== null ? { ...c, lastResult: null } : c,
    ),
  };
}

/** Every edit as data, for a reducer (useReducer, zustand) and an undo history. */
export type NotebookEdit =
  | { type: 'add'; cell: CellInput; index?: number }
  | { type: 'move'; id: string; to: number }
  | { type: 'update'; id: string; patch: CellPatch<CellKind> }
  | { type: 'replace'; id: string; cell: CellInput }
  | { type: 'delete'; id: string }
  | { type: 'title'; title: string }
  | { type: 'result'; id: string; result: RunResult | null };

export function applyEdit(doc: NotebookDocument, edit: NotebookEdit): NotebookDocument {
  switch (edit.type) {
    case 'add':
      return addCell(doc, edit.cell, edit.index);
    case 'move':
      return moveCell(doc, edit.id, edit.to);
    case 'update':
      return updateCell(doc, edit.id, edit.patch);
    case 'replace':
      return replaceCell(doc, edit.id, edit.cell);
    case 'delete':
      return deleteCell(doc, edit.id);
    case 'title':
      return setTitle(doc, edit.title);
    case 'result':
      return setRunResult(doc, edit.id, edit.result);
  }
}
