import { describe, expect, it } from 'vitest';
import {
  diagramCell,
  runCell,
  type DiagramCell,
  type Step,
} from '../../../src/core/notebook/index.ts';
import type { LayerConfig } from '../../../src/core/layer.ts';
import { cellResult, runPlan } from '../../../src/ui/notebook/model/runPlan.ts';
import type { RunResult } from '../../../src/ui/run/runMessages.ts';

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

const diagram = (op: 'conv_forward' | 'kfc', steps: Step[] = []): DiagramCell =>
  diagramCell('d', { kind: 'preset', op, layer: LAYER }, { steps });

const timing = (median: number) => ({ median, min: median, max: median, runs: [median] });

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    backend: 'webgpu',
    against: 'builtin',
    maxError: 1e-6,
    timeTn: timing(2),
    timeBuiltin: timing(3),
    peakBytesTn: 1000,
    outputShape: [2, 2, 4, 4],
    inputShapes: {},
    plan: {
      algorithm: 'optimal',
      path: [],
      flops: 100,
      structuredFlops: 10,
      predictedPeakBytes: 1,
    },
    ...over,
  };
}

describe('run cells through the run service', () => {
  it('compares a preset (simplified or not) with the built-in, and times it unsimplified', () => {
    const plain = runPlan(
      runCell('r', 'd', { seed: 3, repeats: 2, warmup: 0 }),
      diagram('conv_forward'),
    );
    expect(plain.ok && plain.configs).toHaveLength(1);
    expect(plain.ok && plain.configs[0]).toMatchObject({
      op: 'conv_forward',
      layer: LAYER,
      inputs: { kind: 'seeded', seed: 3 },
      repeats: 2,
      warmup: 0,
      compareBuiltin: true,
    });
    expect(plain.ok && plain.configs[0].unsimplified).toBeUndefined();
    const simplified = runPlan(runCell('r', 'd'), diagram('conv_forward', [{ kind: 'simplify' }]));
    expect(simplified.ok && simplified.configs[0].op).toBe('conv_forward');
    expect(simplified.ok && simplified.configs[0].unsimplified?.tensors).toHaveLength(4);
  });

  it('checks a derived diagram that is no operation against the reference, with the chosen backend', () => {
    const plan = runPlan(
      runCell('r', 'd', { backend: 'wasm' }),
      diagram('conv_forward', [{ kind: 'derivative', source: 'x' }]),
    );
    expect(plan.ok && plan.configs[0].op).toBeUndefined();
    expect(plan.ok && plan.configs[0]).toMatchObject({ backend: 'wasm', allowFallback: false });
  });

  it('compares a derived diagram that is an operation (W → VJP) with its built-in', () => {
    const plan = runPlan(
      runCell('r', 'd'),
      diagram('conv_forward', [{ kind: 'vjp', source: 'weight' }]),
    );
    expect(plan.ok && plan.configs[0]).toMatchObject({
      op: 'conv_weight_vjp',
      builtinInputs: { x: 'x', v: 'v' },
    });
  });

  it('runs each term of a sum on its own and adds the times', () => {
    const plan = runPlan(runCell('r', 'd'), diagram('kfc', [{ kind: 'derivative', source: 'x' }]));
    expect(plan.ok && plan.configs).toHaveLength(2);
    expect(plan.ok && plan.note).toMatch(/sum of 2 networks/);
    const kept = cellResult(
      [
        result({ against: 'reference', maxError: 1e-7 }),
        result({ against: 'reference', maxError: 3e-7, peakBytesTn: 5000 }),
      ],
      new Date('2026-01-02T00:00:00Z'),
    );
    expect(kept).toMatchObject({
      backend: 'webgpu',
      at: '2026-01-02T00:00:00.000Z',
      maxError: 3e-7,
      timeTnMs: 4,
      timeBuiltinMs: null,
      flops: 200,
      peakBytes: 5000,
    });
  });

  it('keeps no error when nothing was checked, and reports a diagram that does not build', () => {
    expect(cellResult([result({ against: 'none', maxError: undefined })]).maxError).toBeNull();
    expect(cellResult([result()])).toMatchObject({ maxError: 1e-6, timeBuiltinMs: 3 });
    const broken = runPlan(
      runCell('r', 'd'),
      diagram('conv_forward', [{ kind: 'vjp', source: 'nothing' }]),
    );
    expect(broken.ok).toBe(false);
  });

  it('compares with the diagram a run cell estimates, on the inputs it asks for', () => {
    const exact = diagramCell('exact', { kind: 'preset', op: 'kfc', layer: LAYER });
    const dropped = diagramCell(
      'dropped',
      { kind: 'preset', op: 'kfc', layer: LAYER },
      { steps: [{ kind: 'dropout', index: 'o1', keep: 0.5, seed: 1 }] },
    );
    const cell = runCell('r', 'dropped', { estimates: 'exact', inputs: 'smooth', seed: 4 });
    const plan = runPlan(cell, dropped, exact);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.configs[0].inputs).toEqual({ kind: 'seeded', seed: 4, distribution: 'smooth' });
    expect(plan.configs[0].estimates?.resultShape).toEqual(plan.configs[0].network.resultShape);
    expect(runPlan(cell, dropped)).toMatchObject({ ok: false, error: /no diagram 'exact'/ });
    const kept = cellResult([result({ estimate: { relativeError: 0.3, relativeCost: 0.5 } })]);
    expect(kept).toMatchObject({ relativeError: 0.3, relativeCost: 0.5 });
    expect(cellResult([result()])).not.toHaveProperty('relativeError');
  });
});
