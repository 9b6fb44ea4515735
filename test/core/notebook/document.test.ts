import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EinsketchError } from '../../../src/core/errors.ts';
import {
  addCell,
  applyEdit,
  canRedo,
  canUndo,
  createHistory,
  deleteCell,
  dependentCells,
  diagramCell,
  documentSchema,
  emptyDocument,
  freshCellId,
  moveCell,
  proseCell,
  record,
  redo,
  replaceCell,
  runCell,
  setRunResult,
  setTitle,
  undo,
  updateCell,
  withoutResults,
  type NotebookDocument,
} from '../../../src/core/notebook/index.ts';
import { documentArb } from './arbitraries.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';

function sample(): NotebookDocument {
  let doc = emptyDocument('Sample');
  doc = addCell(doc, proseCell('intro', '# Hello\n\n$y = x$'));
  doc = addCell(doc, diagramCell('conv', SMALL_PRESETS[0], { title: 'Convolution' }));
  doc = addCell(doc, runCell('run-conv', 'conv', { repeats: 3 }));
  return doc;
}

const ids = (doc: NotebookDocument) => doc.cells.map((c) => c.id);

describe('notebook document', () => {
  it('builds a valid document and fills defaults', () => {
    const doc = sample();
    expect(documentSchema.safeParse(doc).success).toBe(true);
    expect(ids(doc)).toEqual(['intro', 'conv', 'run-conv']);
    const diagram = doc.cells[1];
    expect(diagram.kind === 'diagram' && diagram.view).toEqual({
      style: 'named',
      layout: 'auto',
      showSizes: true,
      showFormula: true,
      showSteps: true,
    });
    const run = doc.cells[2];
    expect(
      run.kind === 'run' && [run.backend, run.seed, run.repeats, run.warmup, run.lastResult],
    ).toEqual(['auto', 0, 3, 1, null]);
  });

  it('adds at a position, with fresh ids', () => {
    const doc = sample();
    const id = freshCellId(doc, 'prose');
    const next = addCell(doc, { id, kind: 'prose', text: 'between' }, 1);
    expect(ids(next)).toEqual(['intro', id, 'conv', 'run-conv']);
    expect(ids(doc)).toEqual(['intro', 'conv', 'run-conv']); // unchanged
    expect(() => addCell(doc, { id: 'intro', kind: 'prose', text: '' })).toThrow(/already exists/);
    expect(() => addCell(doc, { id: 'r', kind: 'run', diagram: 'intro' })).toThrow(
      /needs a diagram cell 'intro'/,
    );
    expect(() => addCell(doc, { id: 'bad id', kind: 'prose', text: '' })).toThrow(EinsketchError);
    expect(() => addCell(doc, { id: 'p', kind: 'prose', text: '' }, 9)).toThrow(/position 9/);
  });

  it('moves cells (clamped) and keeps the others in order', () => {
    const doc = sample();
    expect(ids(moveCell(doc, 'run-conv', 0))).toEqual(['run-conv', 'intro', 'conv']);
    expect(ids(moveCell(doc, 'intro', 99))).toEqual(['conv', 'run-conv', 'intro']);
    expect(moveCell(doc, 'conv', 1)).toBe(doc);
    expect(() => moveCell(doc, 'nope', 0)).toThrow(/no cell 'nope'/);
  });

  it('edits cells through the schema', () => {
    const doc = sample();
    const edited = updateCell<'prose'>(doc, 'intro', { text: 'changed' });
    expect(edited.cells[0]).toEqual({ id: 'intro', kind: 'prose', text: 'changed' });
    const rerun = updateCell<'run'>(doc, 'run-conv', { seed: 7, backend: 'cpu' });
    expect(rerun.cells[2]).toMatchObject({ seed: 7, backend: 'cpu', repeats: 3 });
    expect(() => updateCell<'run'>(doc, 'run-conv', { repeats: 0 })).toThrow(/repeats/);
    expect(() => updateCell<'run'>(doc, 'run-conv', { diagram: 'intro' })).toThrow(
      /needs a diagram/,
    );
    expect(() => updateCell(doc, 'intro', { id: 'x' } as never)).toThrow(/id or kind/);
    expect(() => replaceCell(doc, 'conv', { id: 'conv', kind: 'prose', text: '' })).toThrow(
      /run-conv/,
    );
    expect(
      replaceCell(doc, 'intro', { id: 'intro', kind: 'prose', text: 'new' }).cells[0],
    ).toMatchObject({ text: 'new' });
  });

  it('deletes a diagram together with its run cells', () => {
    const doc = sample();
    expect(dependentCells(doc, 'conv').map((c) => c.id)).toEqual(['run-conv']);
    expect(ids(deleteCell(doc, 'conv'))).toEqual(['intro']);
    expect(ids(deleteCell(doc, 'run-conv'))).toEqual(['intro', 'conv']);
    expect(() => deleteCell(doc, 'gone')).toThrow(/no cell/);
  });

  it('stores run results and drops them for sharing', () => {
    const result = {
      backend: 'webgpu',
      at: '2025-01-01T00:00:00Z',
      shape: [2, 6, 8, 8],
      maxError: 1e-6,
      timeTnMs: 1.5,
      timeBuiltinMs: 0.8,
    };
    const doc = setRunResult(sample(), 'run-conv', result);
    expect(doc.cells[2]).toMatchObject({ lastResult: result });
    expect(withoutResults(doc).cells[2]).toMatchObject({ lastResult: null });
    expect(() => setRunResult(doc, 'intro', result)).toThrow(/not a run cell/);
    expect(() => setRunResult(doc, 'run-conv', { ...result, timeTnMs: -1 })).toThrow(/timeTnMs/);
  });

  it('sets one-line titles only', () => {
    expect(setTitle(sample(), 'New').title).toBe('New');
    expect(() => setTitle(sample(), 'a\nb')).toThrow(/one line/);
  });

  it('applies edits as data (reducer)', () => {
    let doc = sample();
    doc = applyEdit(doc, { type: 'add', cell: { id: 'more', kind: 'prose', text: 'x' }, index: 0 });
    doc = applyEdit(doc, { type: 'move', id: 'more', to: 3 });
    doc = applyEdit(doc, { type: 'update', id: 'more', patch: { text: 'y' } });
    doc = applyEdit(doc, { type: 'title', title: 'T' });
    doc = applyEdit(doc, { type: 'delete', id: 'intro' });
    expect(ids(doc)).toEqual(['conv', 'run-conv', 'more']);
    expect(doc.title).toBe('T');
    expect(documentSchema.safeParse(doc).success).toBe(true);
  });

  it('keeps documents valid under random edit sequences', () => {
    const edit = fc.oneof(
      fc.record({
        type: fc.constant('add' as const),
        text: fc.string({ maxLength: 20 }),
        at: fc.nat(),
      }),
      fc.record({
        type: fc.constant('move' as const),
        pick: fc.nat(),
        to: fc.integer({ min: -3, max: 12 }),
      }),
      fc.record({ type: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ type: fc.constant('run' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(documentArb, fc.array(edit, { maxLength: 12 }), (start, edits) => {
        let doc = start;
        for (const e of edits) {
          const n = doc.cells.length;
          const pickId = (k: number) => (n ? doc.cells[k % n].id : 'none');
          try {
            if (e.type === 'add')
              doc = addCell(
                doc,
                { id: freshCellId(doc, 'prose'), kind: 'prose', text: e.text },
                e.at % (n + 1),
              );
            else if (e.type === 'move') doc = moveCell(doc, pickId(e.pick), e.to);
            else if (e.type === 'delete') doc = deleteCell(doc, pickId(e.pick));
            else
              doc = addCell(doc, {
                id: freshCellId(doc, 'run'),
                kind: 'run',
                diagram: pickId(e.pick),
              });
          } catch (err) {
            expect(err).toBeInstanceOf(EinsketchError);
          }
          expect(documentSchema.safeParse(doc).success).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('undo history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = createHistory(sample(), 10);
    const first = h.present;
    h = record(h, setTitle(h.present, 'one'));
    h = record(h, setTitle(h.present, 'two'));
    expect(h.present.title).toBe('two');
    h = undo(h);
    expect(h.present.title).toBe('one');
    expect(canRedo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe(first);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present.title).toBe('one');
    h = record(h, setTitle(h.present, 'three'));
    expect(canRedo(h)).toBe(false);
    expect(record(h, h.present)).toBe(h);
  });

  it('keeps at most `limit` past states', () => {
    let h = createHistory(0, 1000);
    for (let j = 1; j <= 5000; j++) h = record(h, j);
    expect(h.past.length).toBe(1000);
    expect(h.past[0]).toBe(4000);
    let undone = h;
    while (canUndo(undone)) undone = undo(undone);
    expect(undone.present).toBe(4000);
  });
});

describe('chart cells and estimated diagrams', () => {
  function withChart(): NotebookDocument {
    let doc = sample();
    doc = addCell(doc, diagramCell('exact', SMALL_PRESETS[0]));
    doc = addCell(doc, runCell('run-est', 'conv', { estimates: 'exact' }));
    return addCell(doc, {
      id: 'chart',
      kind: 'chart',
      series: [
        { label: 'a', runs: ['run-conv', 'run-est'] },
        { label: 'b', runs: ['run-est'] },
      ],
    });
  }

  it('refuse references to missing or wrong cells', () => {
    const doc = withChart();
    expect(() =>
      addCell(doc, { id: 'c2', kind: 'chart', series: [{ label: 'a', runs: ['conv'] }] }),
    ).toThrow(/plots 'conv', which is not a run cell/);
    expect(() => addCell(doc, runCell('r2', 'conv', { estimates: 'intro' }))).toThrow(
      /estimates 'intro', which is not a diagram cell/,
    );
    expect(() => replaceCell(doc, 'run-est', proseCell('run-est', 'x'))).toThrow(
      /plots 'run-est', which is not a run cell/,
    );
    const bad = { ...doc, cells: doc.cells.filter((c) => c.id !== 'run-conv') };
    expect(documentSchema.safeParse(bad).success).toBe(false);
  });

  it('lose the points and comparisons of deleted cells', () => {
    let doc = deleteCell(withChart(), 'run-conv');
    expect(doc.cells.find((c) => c.id === 'chart')).toMatchObject({
      series: [
        { label: 'a', runs: ['run-est'] },
        { label: 'b', runs: ['run-est'] },
      ],
    });
    expect(documentSchema.safeParse(doc).success).toBe(true);
    doc = deleteCell(doc, 'exact');
    expect(doc.cells.find((c) => c.id === 'run-est')).not.toHaveProperty('estimates');
    doc = deleteCell(doc, 'conv');
    expect(ids(doc)).toEqual(['intro']);
  });
});
