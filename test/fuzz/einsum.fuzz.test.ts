import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEinsum, parseEinsum, parseEquation } from '../../src/core/einsum/index.ts';
import { loadFixtures } from '../helpers/fixtures.ts';
import { expectCleanOutcome, FUZZ_TEST_TIMEOUT_MS, fuzzParameters, mutated, reportFuzz } from '../helpers/fuzz.ts';

const seeds = [
  ...new Set(loadFixtures().flatMap((c) => (c.dense_plan ? [c.dense_plan.equation] : []))),
  'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
  "g c_in k1 c_in' k1', -> g",
];

describe('fuzzing the einsum parser', () => {
  it('answers random and mutated equations with a result or a one-line error', () => {
    const outcomes = { ok: 0, error: 0 };
    const input = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), mutated(seeds));
    fc.assert(
      fc.property(input, (text) => {
        outcomes[expectCleanOutcome(() => parseEquation(text))]++;
      }),
      fuzzParameters(3000),
    );
    reportFuzz('einsum parser', { parsed: outcomes.ok, 'clean errors': outcomes.error });
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('keeps shapes consistent or says why, and parses what it formats', () => {
    let tried = 0;
    const input = fc.record({
      text: mutated(seeds),
      shapes: fc.array(fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: 7 }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(input, ({ text, shapes }) => {
        tried++;
        let net;
        try {
          net = parseEinsum(text, shapes);
        } catch (err) {
          expectCleanOutcome(() => {
            throw err;
          });
          return;
        }
        const again = parseEinsum(formatEinsum(net, 'named'), net.tensors.map((t) => t.legs.map((l) => net.sizes[l])), { style: 'named' });
        expect(again.output).toEqual(net.output);
      }),
      fuzzParameters(2000),
    );
    reportFuzz('einsum with shapes', { tried });
  }, FUZZ_TEST_TIMEOUT_MS);

  it('refuses huge equations before parsing them', () => {
    expect(() => parseEquation('a'.repeat(50_000))).toThrow(/longer than/);
    expect(() => parseEinsum('ab->ab', [[1 << 20, 1 << 20]])).toThrow(/limit/);
  });
});
