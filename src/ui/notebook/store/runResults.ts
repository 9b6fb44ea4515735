import type { NotebookDocument, RunCell, RunResult } from '../../../core/notebook/index.ts';

/**
 * Run results kept beside the undo history. A result belongs to what was run: the run
 * cell's settings and the diagrams it evaluates and estimates. Its fingerprint records
 * them, and a version of the document shows the result only where they are the same, so
 * undoing an edit of a diagram hides its stale result and redoing it brings it back,
 * without any document in the history being patched.
 */
export interface StoredResult {
  result: RunResult | null;
  fingerprint: string;
}

export function runFingerprint(doc: NotebookDocument, cell: RunCell): string {
  const diagram = (id: string | undefined) =>
    id === undefined ? null : (doc.cells.find((c) => c.id === id) ?? null);
  return JSON.stringify([
    { ...cell, lastResult: null },
    diagram(cell.diagram),
    diagram(cell.estimates),
  ]);
}

const merged = new WeakMap<
  NotebookDocument,
  { results: Record<string, StoredResult>; doc: NotebookDocument }
>();

/**
 * The document with each run cell's fitting stored result. The same inputs give the same
 * object, so selectors can return it without re-rendering.
 */
export function withResults(
  doc: NotebookDocument,
  results: Record<string, StoredResult>,
): NotebookDocument {
  const cached = merged.get(doc);
  if (cached?.results === results) return cached.doc;
  let changed = false;
  const cells = doc.cells.map((cell) => {
    const stored = cell.kind === 'run' ? results[cell.id] : undefined;
    if (cell.kind !== 'run' || !stored || stored.result === cell.lastResult) return cell;
    if (stored.fingerprint !== runFingerprint(doc, cell)) return cell;
    changed = true;
    return { ...cell, lastResult: stored.result };
  });
  const out = changed ? { ...doc, cells } : doc;
  merged.set(doc, { results, doc: out });
  return out;
}
