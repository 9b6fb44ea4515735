import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayerNetwork, type LayerConfig } from '../../../src/core/layer.ts';
import { vjp } from '../../../src/core/diff/index.ts';
import { parseEinsum } from '../../../src/core/einsum/index.ts';
import { recogniseNetwork } from '../../../src/core/recognise.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { estimateBuiltinBytes } from '../../../src/engine/bench/baselines.ts';
import { selectNodeBackend } from '../../../src/engine/node.ts';
import { randomTensorDropout } from '../../../src/core/dropout/index.ts';
import { requireInputShapes } from '../../../src/core/notebook/build.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { relativeFrobeniusError, smoothValues } from '../../../src/engine/bench/index.ts';
import { classifyFailure } from '../../../src/ui/run/failures.ts';
import {
  BudgetError,
  CancelledError,
  runJob,
  type JobContext,
} from '../../../src/ui/run/runJob.ts';
import type { RunProgress } from '../../../src/ui/run/runMessages.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

const layer: LayerConfig = {
  batch: 2,
  inChannels: 4,
  outChannels: 6,
  input: [8, 8],
  kernel: [3, 3],
  stride: [1, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

function context(
  overrides: Partial<JobContext> = {},
): JobContext & { seen: RunProgress[]; selected: number } {
  const ctx = {
    seen: [] as RunProgress[],
    selected: 0,
    selectBackend: async () => {
      ctx.selected++;
      return { name: 'cpu' as const };
    },
    progress: (p: RunProgress) => ctx.seen.push(p),
    checkpoint: async () => {},
    ...overrides,
  };
  return ctx;
}

describe('runJob', () => {
  it('times kfac_reduce against its built-in and agrees with it', async () => {
    const ctx = context();
    const r = await runJob(
      {
        network: buildLayerNetwork('kfac_reduce', layer),
        inputs: { kind: 'seeded', seed: 1 },
        op: 'kfac_reduce',
        layer,
        repeats: 3,
      },
      ctx,
    );
    expect(r.backend).toBe('cpu');
    expect(r.against).toBe('builtin');
    expect(r.builtinName).toMatch(/unfold/);
    expect(r.maxError).toBeLessThan(1e-4);
    expect(r.timeTn.runs).toHaveLength(3);
    expect(r.timeTn.min).toBeLessThanOrEqual(r.timeTn.median);
    expect(r.timeBuiltin!.median).toBeGreaterThan(0);
    expect(r.outputShape).toEqual([1, 36, 36]);
    // Each step of the path with what ran it (tfjs ops on cpu) and its profiled time.
    expect(r.steps!.length).toBeGreaterThan(0);
    expect(r.steps!.every((s) => s.ms >= 0 && s.kinds.length > 0)).toBe(true);
    expect(r.steps!.flatMap((s) => s.kinds)).toContain('matmul');
    expect(r.steps!.flatMap((s) => s.kinds)).not.toContain('tiled');
    // Progress only goes forward and streams partial results.
    const fractions = ctx.seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(ctx.seen.some((p) => p.stage === 'builtin' && p.partial?.timeTn)).toBe(true);
  });

  it('checks against the float64 reference where tfjs has no built-in', async () => {
    const r = await runJob(
      {
        network: buildLayerNetwork('unfold', layer),
        inputs: { kind: 'seeded', seed: 3 },
        op: 'unfold',
        layer,
        repeats: 1,
        warmup: 0,
      },
      context(),
    );
    expect(r.against).toBe('reference');
    expect(r.checkNote).toMatch(/no built-in: tfjs has no built-in for unfold/);
    expect(r.maxError).toBeLessThan(1e-5);
    expect(r.timeBuiltin).toBeUndefined();
  });

  it('compares a recognised derivation (strided convolution → W → VJP) with the weight-gradient built-in', async () => {
    const strided: LayerConfig = { ...layer, stride: [2, 2] };
    const byHand = vjp(buildLayerNetwork('conv_forward', strided), 'weight', 'v').terms[0].network;
    const found = recogniseNetwork(byHand)!;
    expect(found.op).toBe('conv_weight_vjp');
    const r = await runJob(
      {
        network: byHand,
        inputs: { kind: 'seeded', seed: 4 },
        op: found.op,
        layer: found.layer,
        builtinInputs: found.inputs,
        repeats: 1,
        warmup: 0,
      },
      context(),
    );
    expect(r.against).toBe('builtin');
    expect(r.builtinName).toMatch(/conv2dBackpropFilter|BackpropFilter/i);
    expect(r.maxError).toBeLessThan(1e-4);
  });

  it('checks a network too large for the float64 reference on a reduced copy, and says so', async () => {
    const net = parseEinsum('ab,bc->ac', [
      [480, 480],
      [480, 480],
    ]);
    const r = await runJob(
      { network: net, inputs: { kind: 'seeded', seed: 5 }, repeats: 1, warmup: 0 },
      context(),
    );
    expect(r.against).toBe('reduced');
    expect(r.checkNote).toMatch(
      /reference check was skipped.*reduced copy \(same structure, index sizes 3/,
    );
    expect(r.maxError).toBeLessThan(1e-5);
  }, 60_000);

  it('checks the JVPs against the forward built-in applied to the tangent', async () => {
    for (const op of ['conv_input_jvp', 'conv_weight_jvp'] as const) {
      const r = await runJob(
        {
          network: buildLayerNetwork(op, layer),
          inputs: { kind: 'seeded', seed: 2 },
          op,
          layer,
          repeats: 1,
          warmup: 0,
        },
        context(),
      );
      expect(r.against).toBe('builtin');
      expect(r.builtinName).toMatch(/^tf\.conv2d (on the input tangent|with the weight tangent)$/);
      expect(r.maxError).toBeLessThan(1e-4);
    }
  });

  it('runs the unsimplified network beside the simplified one', async () => {
    const dense: LayerConfig = { ...layer, kernel: [2, 2], stride: [2, 2], padding: 'valid' };
    const net = buildLayerNetwork('conv_forward', dense);
    const simplified = simplify(net).network;
    const r = await runJob(
      {
        network: simplified,
        unsimplified: net,
        inputs: { kind: 'seeded', seed: 1 },
        op: 'conv_forward',
        layer: dense,
        repeats: 1,
      },
      context(),
    );
    expect(r.maxError).toBeLessThan(1e-4);
    expect(r.unsimplified!.maxDiff).toBeLessThan(1e-4);
    expect(r.unsimplified!.timeTn.runs).toHaveLength(1);
  });

  it('measures a dropped network against the network it estimates, on smooth inputs', async () => {
    const exact = buildLayerNetwork('conv_weight_vjp', layer);
    const inputs = { kind: 'seeded', seed: 10, distribution: 'smooth' } as const;
    const inputShapes = requireInputShapes(exact);
    const host = Object.fromEntries(
      Object.entries(inputShapes).map(([name, shape], j) => [
        name,
        { shape, data: Float64Array.from(smoothValues(shape, 10 + j)) },
      ]),
    );
    const want = evaluateReference(exact, host).data;
    for (const keep of [0.5, 1]) {
      const dropped = randomTensorDropout(exact, 'o1', keep, 1).network;
      const r = await runJob(
        { network: dropped, estimates: exact, inputs, repeats: 1, compareBuiltin: false },
        context(),
      );
      const expected = relativeFrobeniusError(evaluateReference(dropped, host).data, want);
      expect(r.estimate!.relativeError).toBeCloseTo(expected, 4);
      expect(r.estimate!.relativeCost).toBeCloseTo(keep, 2);
      if (keep === 1) expect(r.estimate!.relativeError).toBeLessThan(1e-5);
      else expect(r.estimate!.relativeError).toBeGreaterThan(0.05);
    }
    const other = buildLayerNetwork('conv_weight_vjp', { ...layer, kernel: [2, 2] });
    await expect(
      runJob({ network: exact, estimates: other, inputs, repeats: 1 }, context()),
    ).rejects.toThrow(
      /estimated network's input v \[2, 6, 9, 9\] is not an input of the same shape/,
    );
  });

  it('uses uploaded inputs and refuses ones of the wrong shape', async () => {
    const net = buildLayerNetwork('conv_forward', layer);
    const x = { shape: [2, 4, 8, 8], data: new Float64Array(2 * 4 * 64).fill(1) };
    const weight = { shape: [6, 4, 3, 3], data: new Float32Array(6 * 36).fill(0.5) };
    const r = await runJob(
      {
        network: net,
        inputs: { kind: 'uploaded', tensors: { x, weight } },
        op: 'conv_forward',
        layer,
        repeats: 1,
      },
      context(),
    );
    expect(r.maxError).toBeLessThan(1e-5);
    const ctx = context();
    const bad = runJob(
      {
        network: net,
        inputs: { kind: 'uploaded', tensors: { x, weight: { ...weight, shape: [6, 4, 9] } } },
        op: 'conv_forward',
        layer,
      },
      ctx,
    );
    await expect(bad).rejects.toThrow(
      /uploaded input 'weight' has shape \[6, 4, 9\]; the network needs \[6, 4, 3, 3\]/,
    );
    await expect(
      runJob(
        { network: net, inputs: { kind: 'uploaded', tensors: { x } }, op: 'conv_forward', layer },
        context(),
      ),
    ).rejects.toThrow(/input 'weight' \[6, 4, 3, 3\] was not uploaded/);
    expect(ctx.selected).toBe(0);
  });

  it('refuses an over-budget network before choosing a backend', async () => {
    const ctx = context();
    const err = await runJob(
      {
        network: buildLayerNetwork('kfc', layer),
        inputs: { kind: 'seeded', seed: 1 },
        op: 'kfc',
        layer,
        memoryBudgetBytes: 4096,
      },
      ctx,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetError);
    expect(String((err as Error).message)).toMatch(
      /memory budget of 4.00 KiB exceeded.*nothing was allocated/,
    );
    expect(ctx.selected).toBe(0);
    expect(classifyFailure(err, 'plan', undefined).kind).toBe('budget');
  });

  it('runs a network that fits without a built-in that does not, and checks it against the reference', async () => {
    // kfac_reduce sums over output positions before the product (about 6 KiB here); its
    // built-in unfolds the input first (about 50 KiB).
    const budget = 16 * 1024;
    expect(estimateBuiltinBytes('kfac_reduce', layer)).toBeGreaterThan(budget);
    const r = await runJob(
      {
        network: buildLayerNetwork('kfac_reduce', layer),
        inputs: { kind: 'seeded', seed: 1 },
        op: 'kfac_reduce',
        layer,
        repeats: 1,
        warmup: 0,
        memoryBudgetBytes: budget,
      },
      context(),
    );
    expect(r.timeBuiltin).toBeUndefined();
    expect(r.against).toBe('reference');
    expect(r.maxError).toBeLessThan(1e-4);
    expect(r.checkNote).toMatch(
      /no built-in: the built-in \(unfold\(slices\)\+sum_o\+tf\.matMul\) would hold about \d+\.\d KiB, over the memory budget of 16\.0 KiB/,
    );
    // With the default budget the same run is compared with the built-in.
    const full = await runJob(
      {
        network: buildLayerNetwork('kfac_reduce', layer),
        inputs: { kind: 'seeded', seed: 1 },
        op: 'kfac_reduce',
        layer,
        repeats: 1,
        warmup: 0,
      },
      context(),
    );
    expect(full.against).toBe('builtin');
  });

  it('stops at a checkpoint when cancelled', async () => {
    let calls = 0;
    const ctx = context({
      checkpoint: async () => {
        if (++calls > 3) throw new CancelledError();
      },
    });
    const err = await runJob(
      {
        network: buildLayerNetwork('conv_forward', layer),
        inputs: { kind: 'seeded', seed: 1 },
        op: 'conv_forward',
        layer,
        repeats: 10,
      },
      ctx,
    ).catch((e: unknown) => e);
    expect(classifyFailure(err, 'tn', 'cpu').kind).toBe('cancelled');
  });
});

describe('classifyFailure', () => {
  it('names GPU failures and offers a backend off the GPU', () => {
    expect(classifyFailure(new Error('Device is lost'), 'tn', 'webgpu')).toMatchObject({
      kind: 'device-lost',
      fallback: 'wasm',
    });
    expect(classifyFailure(new Error('Out of memory'), 'tn', 'webgpu')).toMatchObject({
      kind: 'out-of-memory',
      fallback: 'wasm',
    });
    expect(
      classifyFailure(new RangeError('Array buffer allocation failed'), 'inputs', 'wasm'),
    ).toMatchObject({
      kind: 'out-of-memory',
      fallback: 'cpu',
    });
    expect(classifyFailure(new Error('boom'), 'tn', 'cpu')).toMatchObject({
      kind: 'internal',
      fallback: undefined,
    });
  });
});
