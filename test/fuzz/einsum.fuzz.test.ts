import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDeclaredEinsum,
  formatEinsum,
  parseEinsum,
  parseEquation,
} from '../../src/core/einsum/index.ts';
import { buildSource } from '../../src/core/notebook/index.ts';
import { loadFixtures } from '../helpers/fixtures.ts';
import {
  expectCleanOutcome,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  mutated,
  reportFuzz,
} from '../helpers/fuzz.ts';
import { SMALL_PRESETS } from '../helpers/smallPresets.ts';

const seeds = [
  ...new Set(loadFixtures().flatMap((c) => (c.dense_plan ? [c.dense_plan.equation] : []))),
  'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
  "g c_in k1 c_in' k1', -> g",
];

describe('fuzzing the einsum parser', () => {
  it(
    'answers random and mutated equations with a result or a one-line error',
    () => {
      const outcomes = { ok: 0, error: 0 };
      const input = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        mutated(seeds),
      );
      fc.assert(
        fc.property(input, (text) => {
          outcomes[expectCleanOutcome(() => parseEquation(text))]++;
        }),
        fuzzParameters(3000),
      );
      reportFuzz('einsum parser', { parsed: outcomes.ok, 'clean errors': outcomes.error });
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.error).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'keeps shapes consistent or says why, and parses what it formats',
    () => {
      let tried = 0;
      const input = fc.record({
        text: mutated(seeds),
        shapes: fc.array(fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: 7 }), {
          maxLength: 10,
        }),
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
          const again = parseEinsum(
            formatEinsum(net, 'named'),
            net.tensors.map((t) => t.legs.map((l) => net.sizes[l])),
            { style: 'named' },
          );
          expect(again.output).toEqual(net.output);
        }),
        fuzzParameters(2000),
      );
      reportFuzz('einsum with shapes', { tried });
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'answers mutated einsums with declarations with a result or a one-line error, and round-trips what it parses',
    () => {
      const declared = [
        ...SMALL_PRESETS.map((p) => formatDeclaredEinsum(buildSource(p))),
        'n c i1 i2, k1 o1 i1, k2 o2 i2, m c k1 k2, d m -> n d o1 o2 ; x, p1=Pi(I=32,K=3,S=2,P=1,D=1), p2=Pi(I=32,K=3,S=2,P=1,D=1), w, v',
        'k i, k o i, a, a b, -> o b ; P=Pi(I=7,K=2,S=3,P=0/1,D=2,roles=ki), Q=Pi(I=7,K=2,P=1,keep_o=0 3 5), d=δ, e=delta, 1/8',
      ];
      const outcomes = { ok: 0, error: 0, roundTrips: 0 };
      const input = fc.oneof(
        mutated(declared),
        fc
          .tuple(fc.constantFrom(...declared), fc.string({ maxLength: 30 }))
          .map(([s, tail]) => s + tail),
        fc
          .tuple(
            fc.constantFrom(...declared),
            fc.nat(),
            fc.string({ unit: 'grapheme', maxLength: 8 }),
          )
          .map(
            ([s, at, text]) =>
              s.slice(0, at % (s.length + 1)) + text + s.slice(at % (s.length + 1)),
          ),
      );
      fc.assert(
        fc.property(input, (text) => {
          let parsed;
          try {
            parsed = parseEquation(text);
            outcomes.ok++;
          } catch (err) {
            outcomes[
              expectCleanOutcome(() => {
                throw err;
              })
            ]++;
            return;
          }
          // With shapes from the declarations (patterns) and 2 elsewhere, what parses
          // formats back to a text that parses to the same text again.
          const sizes = new Map<string, number>();
          parsed.declarations?.forEach((d, pos) => {
            if (d.kind !== 'index_pattern') return;
            parsed.operands[pos].forEach((leg, axis) => {
              const role = d.roles[axis];
              const p = d.pattern;
              sizes.set(
                leg,
                d.keep?.[role]?.length ??
                  (role === 'k' ? p.kernelSize : role === 'o' ? p.outputSize : p.inputSize),
              );
            });
          });
          const shapes = parsed.operands.map((legs) => legs.map((l) => sizes.get(l) ?? 2));
          let net;
          try {
            net = parseEinsum(text, shapes);
          } catch (err) {
            expectCleanOutcome(() => {
              throw err;
            });
            return;
          }
          const again = formatDeclaredEinsum(net, parsed.style);
          expect(
            formatDeclaredEinsum(parseEinsum(again, shapes, { style: parsed.style }), parsed.style),
          ).toBe(again);
          outcomes.roundTrips++;
        }),
        fuzzParameters(1000),
      );
      console.log(
        `einsum declarations fuzz: ${outcomes.ok + outcomes.error} inputs, ${outcomes.ok} parsed, ${outcomes.error} clean errors, ${outcomes.roundTrips} round trips`,
      );
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.error).toBeGreaterThan(0);
    },
    60_000 + Number(process.env.FUZZ_SECONDS ?? 0) * 1000,
  );

  it('refuses huge equations before parsing them', () => {
    expect(() => parseEquation('a'.repeat(50_000))).toThrow(/longer than/);
    expect(() => parseEinsum('ab->ab', [[1 << 20, 1 << 20]])).toThrow(/limit/);
  });
});
