import fc from 'fast-check';
import { EinsketchError } from '../../src/core/errors.ts';

/**
 * Fuzzing budget: bounded in `npm test`. For a long local run set FUZZ_RUNS (exactly that
 * many inputs per target, however long it takes) and/or FUZZ_SECONDS (stop after that
 * time); FUZZ_SEED replays a run. Each fuzz target reports how many inputs it tried.
 *
 * The bounded run in `npm test` uses a fixed seed, so CI answers the same for the same code
 * (a bug found by chance must not turn an unrelated change red); long runs draw a new seed
 * each time, to explore, and fast-check prints it with any counterexample.
 */
export function fuzzParameters(defaultRuns: number): fc.Parameters<unknown> {
  const seconds = integerEnv('FUZZ_SECONDS', 1);
  const runs = integerEnv('FUZZ_RUNS', 1);
  return {
    numRuns: runs ?? (seconds !== undefined ? 1e9 : defaultRuns),
    // Without FUZZ_SECONDS a bounded run still stops after 20 s on a slow machine; an
    // explicit FUZZ_RUNS is honoured in full.
    interruptAfterTimeLimit:
      seconds !== undefined ? seconds * 1000 : runs !== undefined ? undefined : 20_000,
    markInterruptAsFailure: false,
    seed: integerEnv('FUZZ_SEED', -(2 ** 31)) ?? ((runs ?? seconds) ? undefined : BOUNDED_RUN_SEED),
  };
}

const BOUNDED_RUN_SEED = 20261201;

/** Per-test time limit for vitest: the long runs must not be cut at its 5 s default. */
export const FUZZ_TEST_TIMEOUT_MS =
  process.env.FUZZ_RUNS || process.env.FUZZ_SECONDS ? 24 * 3600 * 1000 : 60_000;

function integerEnv(name: string, min: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer of at least ${min}, got '${text}'`);
  return value;
}

/** One line per fuzz target, the same shape everywhere, so long runs can be tallied. */
export function reportFuzz(target: string, counts: Record<string, number>): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  console.log(`fuzz ${target}: ${total} inputs${parts.length > 1 ? ` (${parts.join(', ')})` : ''}`);
}

/** Runs `f`; the only acceptable failure is an EinsketchError with a one-line message. */
export function expectCleanOutcome(f: () => unknown): 'ok' | 'error' {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (!(err instanceof EinsketchError)) throw err;
    if (err.message.includes('\n') || err.message.length === 0)
      throw new Error(`bad message: ${JSON.stringify(err.message)}`, { cause: err });
    return 'error';
  }
}

/** Mutations of a valid text: delete, insert, replace or duplicate a random slice. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  const alphabet = fc.constantFrom(...'abcnzg_ ,->.#\'1\u00e9\u0000{}[]"'.split(''));
  return fc
    .record({
      base: fc.constantFrom(...seeds),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          len: fc.nat({ max: 6 }),
          kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
          text: fc.string({ unit: alphabet, maxLength: 6 }),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ base, edits }) => {
      let s = base;
      for (const e of edits) {
        const at = s.length ? e.at % (s.length + 1) : 0;
        if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
        else if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
        else if (e.kind === 'replace') s = s.slice(0, at) + e.text + s.slice(at + e.text.length);
        else s = s.slice(0, at) + s.slice(at, at + e.len) + s.slice(at);
      }
      return s;
    });
}
