import { describe, expect, it } from 'vitest';
import { diagramCell, runCell, type RunResult } from '../../../src/core/notebook/index.ts';
import type { LayerConfig } from '../../../src/core/layer.ts';
import { drawOf, drawStats, mergeDraws } from '../../../src/ui/notebook/model/runDraws.ts';

const LAYER: LayerConfig = {
  batch: 2,
  inChannels: 2,
  outChannels: 2,
  input: [5, 5],
  kernel: [2, 2],
  stride: [1, 1],
  padding: [0, 0],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

const result = (over: Partial<RunResult>): RunResult => ({
  backend: 'webgpu',
  at: '2026-01-01T00:00:00.000Z',
  shape: [2],
  maxError: null,
  timeTnMs: 2,
  timeBuiltinMs: null,
  ...over,
});

describe('seeded draws of a run cell', () => {
  const dropped = diagramCell(
    'd',
    { kind: 'preset', op: 'conv_forward', layer: LAYER },
    {
      steps: [
        { kind: 'vjp', source: 'weight' },
        { kind: 'dropout', index: 'n', keep: 0.5, seed: 7 },
      ],
    },
  );
  const run = { ...runCell('r', 'd'), seed: 10, draws: 3 };

  it('re-seed the inputs and every dropout step, draw 0 being the cell as it is', () => {
    expect(drawOf(run, dropped, 0)).toEqual({ cell: run, diagram: dropped });
    const second = drawOf(run, dropped, 2);
    expect(second.cell.seed).toBe(12);
    expect(second.diagram.steps[1]).toMatchObject({ kind: 'dropout', seed: 9 });
    expect(second.diagram.steps[0]).toBe(dropped.steps[0]);
    // A diagram without dropout is kept as it is; seeds wrap at 2^31 − 1.
    const plain = diagramCell('p', { kind: 'preset', op: 'conv_forward', layer: LAYER });
    expect(drawOf(run, plain, 1).diagram).toBe(plain);
    expect(drawOf({ ...run, seed: 2 ** 31 - 1 }, plain, 1).cell.seed).toBe(0);
  });

  it('are summarised by mean, sample standard deviation, min and max', () => {
    expect(drawStats([1, 2, 3, 6])).toEqual({ mean: 3, sd: Math.sqrt(14 / 3), min: 1, max: 6 });
    expect(drawStats([0.5])).toEqual({ mean: 0.5, sd: 0, min: 0.5, max: 0.5 });
    expect(drawStats([1, null])).toBeUndefined();
    expect(drawStats([])).toBeUndefined();
  });

  it('merge into one result: the means, and the spread of each quantity', () => {
    const merged = mergeDraws([
      result({ relativeError: 0.4, relativeCost: 0.25, timeTnMs: 1 }),
      result({ relativeError: 0.6, relativeCost: 0.25, timeTnMs: 3 }),
      result({ relativeError: 0.8, relativeCost: 0.25, timeTnMs: 2 }),
    ]);
    expect(merged.relativeError).toBeCloseTo(0.6, 12);
    expect(merged.timeTnMs).toBe(2);
    expect(merged.maxError).toBeNull();
    expect(merged.spread).toEqual({
      draws: 3,
      relativeError: {
        mean: merged.relativeError,
        sd: expect.closeTo(0.2, 12),
        min: 0.4,
        max: 0.8,
      },
      relativeCost: { mean: 0.25, sd: 0, min: 0.25, max: 0.25 },
      timeTnMs: { mean: 2, sd: 1, min: 1, max: 3 },
    });
    // One draw is the draw itself, with no spread.
    const one = result({ relativeError: 0.4 });
    expect(mergeDraws([one])).toBe(one);
  });
});
