import type { ExportSubject } from '../../../core/export/index.ts';
import type { Term } from '../../../core/expression.ts';
import { layerOpInput } from '../../../core/layer.ts';
import { buildDiagram, type DiagramCell } from '../../../core/notebook/index.ts';

/**
 * What a diagram cell shows and exports: its source with every step applied (the core's
 * buildDiagram), as the terms of a sum, plus the export subject. Cells are immutable, so
 * the result is cached per cell object and re-renders cost nothing.
 */
export type DiagramModel =
  { ok: true; terms: Term[]; subject: ExportSubject } | { ok: false; error: string };

const cache = new WeakMap<Pick<DiagramCell, 'source' | 'steps'>, DiagramModel>();

export function cellTitle(cell: Pick<DiagramCell, 'title' | 'source' | 'id'>): string {
  if (cell.title) return cell.title;
  if (cell.source.kind === 'preset') return cell.source.name ?? cell.source.op;
  return cell.id;
}

export function diagramModel(cell: DiagramCell): DiagramModel {
  const hit = cache.get(cell);
  if (hit) return hit;
  const built = buildDiagram(cell);
  let model: DiagramModel;
  if (!built.ok) model = { ok: false, error: built.error };
  else {
    const subject: ExportSubject = { terms: built.sum.terms, title: cellTitle(cell) };
    // A preset with no steps is exactly the library's operation: the PyTorch export then
    // checks itself against PyTorch's built-in.
    if (cell.source.kind === 'preset' && cell.steps.length === 0) {
      subject.op = cell.source.op;
      subject.opInput = layerOpInput(cell.source.op, cell.source.layer);
    }
    model = { ok: true, terms: built.sum.terms, subject };
  }
  cache.set(cell, model);
  return model;
}
