import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { buildDiagram, diagramCell, type DiagramCell } from '../../../src/core/notebook/index.ts';
import { derive } from '../../../src/ui/editor/model/replayDoc.ts';
import { defaultDoc, presetSource, type Doc } from '../../../src/ui/editor/model/doc.ts';
import { PRESETS } from '../../../src/ui/editor/model/editorPresets.ts';
import { cellToEditorDoc, editorDocToCell } from '../../../src/ui/notebook/model/bridge.ts';
import { loadTutorial, TUTORIAL_SOURCES } from '../../../src/ui/notebook/tutorials.ts';

/** The network a cell ends with (its only term). */
function cellNetwork(cell: DiagramCell) {
  const built = buildDiagram(cell);
  if (!built.ok) throw new Error(built.error);
  expect(built.sum.terms).toHaveLength(1);
  return built.sum.terms[0].network;
}

function roundTrip(doc: Doc): { cell: DiagramCell; back: Doc } {
  const cell = editorDocToCell(doc, 'diagram-1');
  const opened = cellToEditorDoc(cell);
  if (!opened.ok) throw new Error(opened.error);
  expect(opened.notice).toBeUndefined();
  return { cell, back: opened.doc };
}

describe('editor document → diagram cell → editor document', () => {
  it('keeps every editor preset exactly', () => {
    for (const p of PRESETS) {
      const doc: Doc = { ...defaultDoc(), source: presetSource(p.id) };
      const { cell, back } = roundTrip(doc);
      expect(back).toEqual(doc);
      expect(formatEinsum(cellNetwork(cell))).toBe(formatEinsum(derive(doc).network));
    }
  });

  it('replays VJPs, derivatives, JVPs, simplification and dropout like the editor', () => {
    const docs: Doc[] = [
      {
        ...defaultDoc(),
        actions: [
          { kind: 'vjp', tensorId: 'weight', source: 'weight', allOccurrences: true, term: 0 },
        ],
      },
      {
        ...defaultDoc(),
        source: presetSource('dense_patchify'),
        actions: [{ kind: 'simplify', at: 'end' }],
      },
      {
        ...defaultDoc(),
        source: presetSource('dense_patchify'),
        actions: [{ kind: 'simplify', at: 1 }],
        disabledRules: ['merge_legs'],
      },
      {
        ...defaultDoc(),
        actions: [
          { kind: 'derivative', tensorId: 'x', allOccurrences: false, term: 0 },
          { kind: 'simplify', at: 'end' },
        ],
      },
      {
        ...defaultDoc(),
        actions: [{ kind: 'jvp', tensorId: 'x', source: 'x', allOccurrences: true, term: 0 }],
      },
      {
        ...defaultDoc(),
        source: presetSource('kfc'),
        actions: [
          { kind: 'derivative', tensorId: 'x', source: 'x', allOccurrences: true, term: 1 },
        ],
      },
      {
        ...defaultDoc(),
        actions: [
          { kind: 'vjp', tensorId: 'weight', source: 'weight', allOccurrences: true, term: 0 },
          { kind: 'dropout', index: 'n', fraction: 0.5, seed: 7 },
        ],
      },
    ];
    for (const doc of docs) {
      const { cell, back } = roundTrip(doc);
      expect(formatEinsum(cellNetwork(cell))).toBe(formatEinsum(derive(doc).network));
      expect(formatEinsum(derive(back).network)).toBe(formatEinsum(derive(doc).network));
      expect(back.actions.map((a) => a.kind)).toEqual(doc.actions.map((a) => a.kind));
    }
  });

  it('keeps an einsum source, moved nodes and the cell it came from', () => {
    const doc: Doc = {
      source: { kind: 'einsum', equation: 'ij,jk->ik', shapes: '2x3; 3x4' },
      actions: [],
      positions: { 't:T1': { x: 10, y: 20 } },
      disabledRules: [],
    };
    const base = diagramCell(
      'd',
      {
        kind: 'einsum',
        equation: 'ij,jk->ik',
        shapes: [
          [2, 3],
          [3, 4],
        ],
      },
      { title: 'mine' },
    );
    const cell = editorDocToCell(doc, 'd', base);
    expect(cell.title).toBe('mine');
    expect(cell.source).toEqual({
      kind: 'einsum',
      equation: 'ij,jk->ik',
      shapes: [
        [2, 3],
        [3, 4],
      ],
    });
    expect(cell.view.layout).toBe('manual');
    const opened = cellToEditorDoc(cell);
    expect(opened.ok && opened.doc.positions).toEqual({ 't:T1': { x: 10, y: 20 } });
  });

  it('keeps the name of a well-known layer only while the layer is unchanged', () => {
    const base = diagramCell('d', {
      kind: 'preset',
      op: 'conv_forward',
      name: 'resnet18.conv1',
      layer: structuredClone(PRESETS[0].layer),
    });
    const doc: Doc = { ...defaultDoc(), source: presetSource('conv_forward') };
    expect(editorDocToCell(doc, 'd', base).source).toMatchObject({ name: 'resnet18.conv1' });
    const changed: Doc = {
      ...doc,
      source: presetSource('conv_forward', { ...PRESETS[0].layer, batch: 3 }),
    };
    expect(editorDocToCell(changed, 'd', base).source).not.toHaveProperty('name');
  });
});

describe('diagram cells in the editor', () => {
  it('opens every diagram of every tutorial, showing the network the cell ends with', () => {
    let frozen = 0;
    let cells = 0;
    for (const slug of Object.keys(TUTORIAL_SOURCES)) {
      const tutorial = loadTutorial(slug);
      if (!tutorial?.ok) throw new Error(`${slug}: ${tutorial?.error}`);
      for (const cell of tutorial.doc.cells) {
        if (cell.kind !== 'diagram') continue;
        cells++;
        const built = buildDiagram(cell);
        if (!built.ok) throw new Error(built.error);
        const opened = cellToEditorDoc(cell);
        if (built.sum.terms.length > 1) {
          // The editor shows the first term and the whole sum as its formula.
          expect(opened.ok, `${slug}/${cell.id}`).toBe(true);
          continue;
        }
        if (!opened.ok) throw new Error(`${slug}/${cell.id}: ${opened.error}`);
        if (opened.notice) frozen++;
        expect(formatEinsum(derive(opened.doc).network), `${slug}/${cell.id}`).toBe(
          formatEinsum(built.sum.terms[0].network),
        );
      }
    }
    expect(cells).toBeGreaterThan(30);
    // Only squared norms are beyond the editor's actions.
    expect(frozen).toBeLessThanOrEqual(3);
  });

  it('opens a squared norm as its resulting network, and says so', () => {
    const cell = diagramCell(
      'norms',
      {
        kind: 'preset',
        op: 'conv_per_example_weight_vjp',
        layer: { ...PRESETS[0].layer, batch: 2, inChannels: 2, outChannels: 2, input: [5, 5] },
      },
      { steps: [{ kind: 'squared_norm', keep: ['n'] }] },
    );
    const opened = cellToEditorDoc(cell);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.notice).toMatch(/squared norm/);
    expect(opened.doc.source.kind).toBe('network');
    expect(formatEinsum(derive(opened.doc).network)).toBe(formatEinsum(cellNetwork(cell)));
  });

  it('refuses a sum carried through later steps with the reason', () => {
    const cell = diagramCell(
      'sum',
      {
        kind: 'preset',
        op: 'kfc',
        layer: {
          ...PRESETS[0].layer,
          batch: 2,
          inChannels: 2,
          outChannels: 2,
          input: [5, 5],
          kernel: [2, 2],
          padding: [0, 0],
        },
      },
      { steps: [{ kind: 'derivative', source: 'x' }, { kind: 'simplify' }] },
    );
    const opened = cellToEditorDoc(cell);
    expect(opened).toMatchObject({ ok: false });
    expect(!opened.ok && opened.error).toMatch(/sum of 2/);
  });
});
