import { describe, expect, it } from 'vitest';
import { cellOfSketch, sketchOfCell, type Sketch } from '../../../src/core/diagram/sketch.ts';
import { applySketchAction, captureOf } from '../../../src/core/diagram/sketchActions.ts';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { buildDiagram, diagramCell, type DiagramCell } from '../../../src/core/notebook/index.ts';
import { derive } from '../../../src/ui/editor/model/replayDoc.ts';
import { loadTutorial, TUTORIAL_SOURCES } from '../../../src/ui/notebook/tutorials.ts';
import { sketch } from '../../helpers/sketches.ts';
import { presetSource, PRESETS } from '../../../src/core/diagram/presets.ts';

function firstTerm(cell: Pick<DiagramCell, 'source' | 'steps'>) {
  const built = buildDiagram(cell);
  if (!built.ok) throw new Error(built.error);
  return built.sum.terms[0].network;
}

describe('one diagram for the editor and the notebook', () => {
  it('a sketch stored in a cell opens to the same sketch, for every editor preset', () => {
    for (const p of PRESETS) {
      const input = derive(sketch(p.id)).network.tensors.find((t) => t.kind === 'data');
      const source = input?.kind === 'data' ? input.source : 'x';
      const s = sketch(p.id, [{ kind: 'vjp', source, term: 0 }, { kind: 'simplify' }]);
      const cell = cellOfSketch(s, 'diagram-1');
      expect(sketchOfCell(cell)).toEqual(s);
      expect(formatEinsum(firstTerm(cell))).toBe(formatEinsum(derive(s).network));
    }
  });

  it('keeps moved nodes, the rule switches, and the title and view of the cell it came from', () => {
    const base = diagramCell('d', presetSource('dense_patchify'), {
      title: 'mine',
      view: {
        style: 'letters',
        layout: 'auto',
        showSizes: false,
        showFormula: true,
        showSteps: true,
      },
    });
    const s: Sketch = {
      ...sketch('dense_patchify', [{ kind: 'simplify', steps: 1, disabled: ['merge_legs'] }]),
      positions: { 't:x': { x: 10, y: 20 } },
      disabledRules: ['merge_legs'],
    };
    const cell = cellOfSketch(s, 'd', base);
    expect(cell).toMatchObject({ title: 'mine', view: { style: 'letters', layout: 'manual' } });
    expect(sketchOfCell(cell)).toEqual(s);
    const moved = cellOfSketch({ ...s, positions: {} }, 'd', cell);
    expect(moved.view).not.toHaveProperty('positions');
    expect(moved.view.layout).toBe('auto');
  });

  it('opens every diagram of every tutorial in the editor, showing the network it ends with', () => {
    let cells = 0;
    for (const slug of Object.keys(TUTORIAL_SOURCES)) {
      const tutorial = loadTutorial(slug);
      if (!tutorial?.ok) throw new Error(`${slug}: ${tutorial?.error}`);
      for (const cell of tutorial.doc.cells) {
        if (cell.kind !== 'diagram') continue;
        cells++;
        const shown = derive(sketchOfCell(cell));
        expect(formatEinsum(shown.network), `${slug}/${cell.id}`).toBe(
          formatEinsum(firstTerm(cell)),
        );
      }
    }
    expect(cells).toBeGreaterThan(30);
  });
});

describe('the editor’s actions', () => {
  const conv = sketch('conv_forward');
  const shown = derive(conv).network;

  it('differentiate by one occurrence or by the input, and refuse a VJP by a constant', () => {
    const one = applySketchAction(
      conv,
      { type: 'differentiate', kind: 'derivative', tensorId: 'x', allOccurrences: false },
      shown,
    );
    expect(one.diagram.steps).toEqual([
      { kind: 'derivative', source: 'x', occurrence: 'x', term: 0 },
    ]);
    const vjp = applySketchAction(
      { ...conv, positions: { 't:x': { x: 1, y: 1 } } },
      { type: 'differentiate', kind: 'vjp', tensorId: 'weight', allOccurrences: true },
      shown,
    );
    expect(vjp.diagram.steps).toEqual([{ kind: 'vjp', source: 'weight', term: 0 }]);
    expect(vjp.positions).toEqual({});
    expect(() =>
      applySketchAction(
        conv,
        { type: 'differentiate', kind: 'vjp', tensorId: 'Pi1', allOccurrences: true },
        shown,
      ),
    ).toThrow(/not a data tensor/);
  });

  it('move the simplifier’s cursor in the last simplification, and switch rules in every one', () => {
    let s = applySketchAction(conv, { type: 'simplifyTo', at: 1 }, shown);
    s = applySketchAction(s, { type: 'simplifyTo', at: 'end' }, shown);
    expect(s.diagram.steps).toEqual([{ kind: 'simplify' }]);
    s = applySketchAction(s, { type: 'toggleRule', rule: 'squeeze' }, shown);
    expect(s.diagram.steps).toEqual([{ kind: 'simplify', disabled: ['squeeze'] }]);
    s = applySketchAction(s, { type: 'simplifyTo', at: 2 }, shown);
    expect(s.diagram.steps).toEqual([{ kind: 'simplify', steps: 2, disabled: ['squeeze'] }]);
    s = applySketchAction(s, { type: 'toggleRule', rule: 'squeeze' }, shown);
    expect(s.diagram.steps).toEqual([{ kind: 'simplify', steps: 2 }]);
    expect(s.disabledRules).toEqual([]);
  });

  it('pick a term only of a differentiation', () => {
    const s = sketch('kfc', [{ kind: 'derivative', source: 'x', term: 0 }, { kind: 'simplify' }]);
    const picked = applySketchAction(s, { type: 'selectTerm', step: 0, term: 1 }, shown);
    expect(picked.diagram.steps[0]).toEqual({ kind: 'derivative', source: 'x', term: 1 });
    expect(() => applySketchAction(s, { type: 'selectTerm', step: 1, term: 1 }, shown)).toThrow(
      /not a differentiation/,
    );
  });

  it('turn a hand edit into a drawn source and keep the moved nodes', () => {
    const s = {
      ...sketch('conv_forward', [{ kind: 'simplify' }]),
      positions: { a: { x: 0, y: 0 } },
    };
    const edited = applySketchAction(
      s,
      { type: 'editNetwork', edit: { op: 'addTensor', kind: 'scalar' } },
      shown,
    );
    expect(edited.diagram.source.kind).toBe('network');
    expect(edited.diagram.steps).toEqual([]);
    expect(edited.positions).toEqual(s.positions);
    expect(s.diagram.source.kind).toBe('preset');
  });

  it('say how each is captured in the undo history', () => {
    expect(
      captureOf({
        type: 'editSource',
        source: presetSource('unfold'),
        field: 'batch',
        keepPositions: true,
      }),
    ).toEqual({ merge: 'field:batch' });
    expect(
      captureOf({ type: 'moveNodes', moved: { b: { x: 0, y: 0 }, a: { x: 1, y: 1 } } }),
    ).toEqual({ merge: 'move:a,b' });
    expect(captureOf({ type: 'simplifyTo', at: 1 })).toBe('record');
    expect(captureOf({ type: 'autoLayout' })).toBe('record');
  });
});
