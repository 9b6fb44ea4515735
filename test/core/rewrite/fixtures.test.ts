import { describe, expect, it } from 'vitest';
import { answerRunRequest, referenceEvaluator } from '../../../src/cli/runCommand.ts';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { vjp } from '../../../src/core/diff/index.ts';
import type { Network } from '../../../src/core/network.ts';
import { pathCost, sequentialPath } from '../../../src/core/planner/cost.ts';
import { prepareRequest } from '../../../src/core/runRequest.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { loadFixtures } from '../../helpers/fixtures.ts';
import { randomTensor } from '../../helpers/random.ts';
import { checkRewrites, evaluate, withinFixtureTolerance } from './helpers.ts';

const cases = loadFixtures();

describe('every PyTorch reference case keeps its value under every rewrite', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { network, inputs } = prepareRequest(c.request);
    const { worst, checked, steps, simplified } = checkRewrites(network, inputs);
    expect(checked).toBeGreaterThanOrEqual(steps + 1);
    expect(worst).toBeLessThan(1e-12);
    const value = evaluate(simplified, inputs);
    expect(value.shape).toEqual(c.expected.shape);
    expect(withinFixtureTolerance(value.data, c.expected.data)).toBe(true);
  });
});

describe('VJPs derived from the reference cases keep their value under every rewrite', () => {
  const sources: Record<string, string[]> = {
    conv_forward: ['x', 'weight'],
    kfc: ['x'],
    unfold: ['x'],
    conv_transpose_forward: ['x', 'weight'],
  };
  const derived = cases.filter((c) => c.request.op in sources).slice(0, 16);
  it.each(derived.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { network, inputs } = prepareRequest(c.request);
    for (const source of sources[c.request.op]) {
      const v = randomTensor(network.resultShape, 17);
      for (const term of vjp(network, source).terms) {
        const { worst } = checkRewrites(term.network, { ...inputs, v });
        expect(worst).toBeLessThan(1e-12);
      }
    }
  });
});

describe('einsketch run honours simplify', () => {
  // simplify: false is answered by test/core/fixtures.test.ts; here the default (true).
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const response = await answerRunRequest(c.request, referenceEvaluator());
    expect(response.shape).toEqual(c.expected.shape);
    expect(withinFixtureTolerance(response.data, c.expected.data)).toBe(true);
    const { network } = prepareRequest(c.request);
    const simplified = simplify(network).network;
    expect(response.equation).toBe(formatEinsum(simplified, 'letters'));
    const legs = (net: Network) => net.tensors.map((t) => t.legs);
    const plainFlops = pathCost(
      legs(network),
      network.output,
      network.sizes,
      sequentialPath(network.tensors.length),
    ).flops;
    expect(response.flops).toBeLessThanOrEqual(plainFlops);
  });
});
