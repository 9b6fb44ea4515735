import { describe, expect, it } from 'vitest';
import { EinsketchError } from '../../../src/core/errors.ts';
import { benchLayerConfig, buildLayerNetwork, type BenchLayer } from '../../../src/core/layer.ts';
import {
  ALGORITHM_NAMES,
  checkMemoryBudget,
  planEinsum,
  planNetwork,
} from '../../../src/core/planner/index.ts';
import { loadLayers } from '../../helpers/fixtures.ts';

const layers = loadLayers();
const resnet = layers.layers.find(
  (l) => l.name === 'resnet18.layer2.0.conv1',
) as unknown as BenchLayer;
const conv = buildLayerNetwork('conv_forward', benchLayerConfig(resnet, layers.batch));

describe('memory limit', () => {
  it('rejects paths with a larger intermediate and finds one within the limit', () => {
    const free = planNetwork(conv, { memoryMeasure: 'dense' });
    const limit = Math.floor(free.largestIntermediate / 2);
    const limited = planNetwork(conv, { memoryLimit: limit, memoryMeasure: 'dense' });
    expect(limited.largestIntermediate).toBeLessThanOrEqual(limit);
    expect(limited.structuredFlops).toBeGreaterThanOrEqual(free.structuredFlops);
    // Every algorithm keeps within the limit, or says it found no order that does (the
    // sequential one tries a single order).
    for (const algorithm of ALGORITHM_NAMES) {
      const options = { algorithm, memoryLimit: limit, memoryMeasure: 'dense' } as const;
      if (algorithm === 'sequential') {
        expect(() => planNetwork(conv, options)).toThrow(/found no contraction order/);
        continue;
      }
      expect(planNetwork(conv, options).largestIntermediate, algorithm).toBeLessThanOrEqual(limit);
    }
  });

  it("'stored' counts a product of patterns by its nonzeros", () => {
    const free = planNetwork(conv);
    expect(free.memoryMeasure).toBe('stored');
    expect(free.largestStored).toBeLessThan(free.largestIntermediate);
    const p = planNetwork(conv, { memoryLimit: free.largestStored });
    expect(p.largestStored).toBeLessThanOrEqual(free.largestStored);
  });

  it('names the step of the cheapest unlimited order when no order fits', () => {
    const out = conv.output.reduce((p, l) => p * conv.sizes[l], 1);
    expect(() => planNetwork(conv, { memoryLimit: out, memoryMeasure: 'dense' })).toThrow(
      /no contraction order keeps every intermediate within \d+ elements: the cheapest order without the limit needs step \d+: .+ -> .+ with \d+ elements/,
    );
  });

  it('says so when the result alone is too large', () => {
    expect(() =>
      planEinsum(
        'ab,bc->ac',
        [
          [100, 2],
          [2, 100],
        ],
        { memoryLimit: 5000 },
      ),
    ).toThrow(/the result \[a c\] alone has 10000 elements, over the memory limit of 5000/);
  });

  it('greedy failing says which search failed', () => {
    const out = conv.output.reduce((p, l) => p * conv.sizes[l], 1);
    expect(() =>
      planNetwork(conv, { algorithm: 'greedy', memoryLimit: out, memoryMeasure: 'dense' }),
    ).toThrow(/the greedy search found no contraction order/);
  });

  it('rejects a limit that is not a positive number', () => {
    expect(() => planNetwork(conv, { memoryLimit: 0 })).toThrow(EinsketchError);
  });
});

describe('checkMemoryBudget', () => {
  const plan = planNetwork(conv);

  it('passes a plan that fits and returns its largest intermediate in bytes', () => {
    expect(checkMemoryBudget(plan, conv, 1e12)).toBe(plan.largestStored * 4);
    expect(checkMemoryBudget(plan, conv, 1e12, 8, 'dense')).toBe(plan.largestIntermediate * 8);
  });

  it('names the first step over the budget, its einsum and its size in bytes', () => {
    const over = plan.steps.find((s) => s.resultStored * 4 > 1_000_000)!;
    expect(() => checkMemoryBudget(plan, conv, 1_000_000)).toThrow(
      new RegExp(
        `^step ${over.step}: ${over.einsum.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} makes an intermediate of [\\d.]+ MiB \\(${over.resultStored * 4} bytes\\)`,
      ),
    );
  });

  it("counts products of patterns densely with 'dense'", () => {
    const first = plan.steps.find((s) => s.kind === 'sparse')!;
    expect(() => checkMemoryBudget(plan, conv, first.resultSize * 4 - 1, 4, 'dense')).toThrow(
      /^step \d+: /,
    );
  });

  it('re-walks the plan on the network it is given', () => {
    const small = buildLayerNetwork('conv_forward', {
      ...benchLayerConfig(resnet, 1),
      input: [8, 8],
    });
    const bytes = checkMemoryBudget(plan, small, 1e12);
    expect(bytes).toBeLessThan(plan.largestStored * 4);
  });

  it('rejects a plan for a different number of tensors', () => {
    expect(() => checkMemoryBudget({ path: [[0, 1]] }, conv, 1e9)).toThrow(
      /path leaves 3 operands instead of 1/,
    );
  });
});
