import { describe, expect, it } from 'vitest';
import {
  addCell,
  diagramCell,
  documentSchema,
  emptyDocument,
  runCell,
} from '../../../src/core/notebook/index.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';
import { freshLabel, newChart, seriesProblem } from '../../../src/ui/notebook/model/chartEdit.ts';

describe('editing a chart cell', () => {
  it('refuses series lists the document would not hold, saying why', () => {
    const ok = [{ label: 'spatial', runs: ['a'] }];
    expect(seriesProblem(ok)).toBeUndefined();
    expect(seriesProblem([])).toMatch(/at least one series/);
    expect(seriesProblem([{ label: '  ', runs: ['a'] }])).toBe('series 1 needs a label');
    expect(seriesProblem([...ok, { label: 'spatial ', runs: ['b'] }])).toMatch(
      /two series are called “spatial”/,
    );
    expect(seriesProblem([{ label: 'x', runs: [] }])).toMatch(/“x” plots no run cell/);
    expect(seriesProblem([{ label: 'x'.repeat(81), runs: ['a'] }])).toMatch(/longer than 80/);
    expect(seriesProblem([{ label: 'a\nb', runs: ['a'] }])).toMatch(/one line/);
    expect(
      seriesProblem(Array.from({ length: 9 }, (_, k) => ({ label: `s${k}`, runs: ['a'] }))),
    ).toMatch(/at most 8 series/);
    expect(seriesProblem([{ label: 'x', runs: Array(33).fill('a') }])).toMatch(/limit is 32/);
    expect(freshLabel([{ label: 'series 2', runs: ['a'] }])).toBe('series 3');
  });

  it('start new charts from the run cells: error against cost when one estimates, else time', () => {
    let doc = addCell(emptyDocument(), diagramCell('d', SMALL_PRESETS[0]));
    expect(newChart(doc, 'chart-1')).toBeUndefined();
    doc = addCell(doc, runCell('r1', 'd'));
    doc = addCell(doc, runCell('r2', 'd'));
    const plain = newChart(doc, 'chart-1')!;
    expect(plain).toMatchObject({ x: 'flops', y: 'timeTnMs', series: [{ runs: ['r1', 'r2'] }] });
    doc = addCell(doc, diagramCell('e', SMALL_PRESETS[0]));
    doc = addCell(doc, { ...runCell('r3', 'd'), estimates: 'e' });
    const estimating = newChart(doc, 'chart-1')!;
    expect(estimating).toMatchObject({
      x: 'relativeCost',
      y: 'relativeError',
      series: [{ label: 'series 1', runs: ['r3'] }],
    });
    // Both are valid cells of the document.
    for (const chart of [plain, estimating])
      expect(documentSchema.safeParse(addCell(doc, chart)).success).toBe(true);
  });
});
