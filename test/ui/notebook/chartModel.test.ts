import { describe, expect, it } from 'vitest';
import {
  addCell,
  diagramCell,
  emptyDocument,
  runCell,
  setRunResult,
  type ChartCell,
  type RunResult,
} from '../../../src/core/notebook/index.ts';
import { axisMax, chartModel } from '../../../src/ui/notebook/model/chartModel.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';

const result = (over: Partial<RunResult>): RunResult => ({
  backend: 'webgpu',
  at: '2026-01-01T00:00:00.000Z',
  shape: [1],
  maxError: 1e-7,
  timeTnMs: 2,
  timeBuiltinMs: null,
  ...over,
});

describe('chart cells', () => {
  let doc = addCell(emptyDocument(), diagramCell('d', SMALL_PRESETS[0]));
  for (const id of ['a', 'b', 'c']) doc = addCell(doc, runCell(id, 'd'));
  doc = setRunResult(doc, 'a', result({ relativeError: 0.4, relativeCost: 0.25 }));
  doc = setRunResult(doc, 'b', result({}));
  const chart: ChartCell = {
    id: 'chart',
    kind: 'chart',
    x: 'relativeCost',
    y: 'relativeError',
    series: [{ label: 'one', runs: ['a', 'b', 'c'] }],
  };

  it('plot the runs that measured both values and name the others', () => {
    expect(chartModel(chart, doc)).toEqual({
      series: [{ label: 'one', points: [{ run: 'a', x: 0.25, y: 0.4 }] }],
      // b ran without a comparison (no relative error), c has not run.
      missing: ['b', 'c'],
      draws: { min: 1, max: 1 },
    });
    const times = chartModel({ ...chart, x: 'timeTnMs', y: 'maxError' }, doc);
    expect(times.series[0].points.map((p) => p.run)).toEqual(['a', 'b']);
  });

  it('plot the mean of a run’s draws with the spread of the plotted value', () => {
    const drawn = setRunResult(
      doc,
      'c',
      result({
        relativeError: 0.5,
        relativeCost: 0.5,
        spread: {
          draws: 4,
          relativeError: { mean: 0.5, sd: 0.1, min: 0.35, max: 0.62 },
          timeTnMs: { mean: 2, sd: 0.5, min: 1.5, max: 2.5 },
        },
      }),
    );
    const model = chartModel(chart, drawn);
    expect(model.series[0].points).toEqual([
      { run: 'a', x: 0.25, y: 0.4 },
      { run: 'c', x: 0.5, y: 0.5, spread: { draws: 4, sd: 0.1, min: 0.35, max: 0.62 } },
    ]);
    expect(model.draws).toEqual({ min: 1, max: 4 });
    // The spread is that of the value on the y axis.
    const times = chartModel({ ...chart, x: 'relativeCost', y: 'timeTnMs' }, drawn);
    expect(times.series[0].points[1].spread).toEqual({ draws: 4, sd: 0.5, min: 1.5, max: 2.5 });
  });

  it('round their axes up to 1, 2 or 5 times a power of ten', () => {
    expect(axisMax([0.3, 0.75])).toBe(1);
    expect(axisMax([1.66, 0.4])).toBe(2);
    expect(axisMax([3.1])).toBe(5);
    expect(axisMax([0.0012])).toBe(0.002);
    expect(axisMax([])).toBe(1);
  });
});
