import fc from 'fast-check';
import { EinsketchError } from '../../src/core/errors.ts';

/**
 * Fuzzing budget: bounded in `npm test`; FUZZ_SECONDS=600 (and optionally FUZZ_RUNS) for a
 * long local run. Each fuzz target reports how many inputs it tried.
 */
export function fuzzParameters(defaultRuns: number): fc.Parameters<unknown> {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 0);
  const runs = Number(process.env.FUZZ_RUNS ?? (seconds > 0 ? 1e9 : defaultRuns));
  return {
    numRuns: runs,
    interruptAfterTimeLimit: seconds > 0 ? seconds * 1000 : 20_000,
    markInterruptAsFailure: false,
    seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
  };
}

/** Runs `f`; the only acceptable failure is an EinsketchError with a one-line message. */
export function expectCleanOutcome(f: () => unknown): 'ok' | 'error' {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (!(err instanceof EinsketchError)) throw err;
    if (err.message.includes('\n') || err.message.length === 0) throw new Error(`bad message: ${JSON.stringify(err.message)}`, { cause: err });
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
        fc.record({ at: fc.nat(), len: fc.nat({ max: 6 }), kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'), text: fc.string({ unit: alphabet, maxLength: 6 }) }),
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
