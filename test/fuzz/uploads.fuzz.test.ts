import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonInputs, parseNpy } from '../../src/ui/run/uploads.ts';
import {
  expectCleanOutcome,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  mutated,
  reportFuzz,
} from '../helpers/fuzz.ts';

/** A well-formed .npy file (format `major`) around `header` and `data`. */
function npy(header: string, data: Uint8Array, major = 1): ArrayBuffer {
  const head = new TextEncoder().encode(header);
  const lenBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, 8 + lenBytes);
  out.set(data, 8 + lenBytes + head.length);
  return out.buffer;
}

const validHeaders = [
  "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
  "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }",
  "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2, 3), }",
];

describe('fuzzing the upload parsers', () => {
  it('parses a valid file', () => {
    const t = parseNpy(npy(validHeaders[0], new Uint8Array(24)));
    expect(t.shape).toEqual([2, 3]);
  });

  it(
    'answers random and mutated .npy files with a tensor or a one-line error',
    () => {
      const outcomes = { ok: 0, error: 0 };
      const file = fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => b.slice().buffer),
        fc
          .record({
            header: mutated(validHeaders),
            data: fc.uint8Array({ maxLength: 64 }),
            major: fc.constantFrom(1, 2, 3, 0, 4),
          })
          .map(({ header, data, major }) => npy(header, data, major)),
        fc
          .record({ cut: fc.nat(), header: fc.constantFrom(...validHeaders) })
          .map(({ cut, header }) => {
            const full = new Uint8Array(npy(header, new Uint8Array(48)));
            return full.slice(0, cut % full.length).buffer;
          }),
      );
      fc.assert(
        fc.property(file, (buffer) => {
          outcomes[expectCleanOutcome(() => parseNpy(buffer))]++;
        }),
        fuzzParameters(3000),
      );
      reportFuzz('.npy upload', { parsed: outcomes.ok, 'clean errors': outcomes.error });
      expect(outcomes.error).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('refuses deeply nested and oversized headers cleanly', () => {
    const deep = `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(60_000)}}`;
    expect(expectCleanOutcome(() => parseNpy(npy(deep, new Uint8Array(0), 2)))).toBe('error');
    const big = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }";
    expect(() => parseNpy(npy(big, new Uint8Array(0)))).toThrow(/limit/);
  });

  it(
    'answers random and mutated JSON inputs with tensors or a one-line error',
    () => {
      const outcomes = { ok: 0, error: 0 };
      const seeds = [
        '{"x": {"shape": [2, 2], "data": [1, 2, 3, 4]}}',
        '{"weight": {"shape": [1], "data": [0.5]}, "v": {"shape": [], "data": [1]}}',
      ];
      fc.assert(
        fc.property(
          fc.oneof(mutated(seeds), fc.json({ maxDepth: 3 }), fc.string({ maxLength: 60 })),
          (text) => {
            outcomes[expectCleanOutcome(() => parseJsonInputs(text))]++;
          },
        ),
        fuzzParameters(3000),
      );
      reportFuzz('JSON upload', { parsed: outcomes.ok, 'clean errors': outcomes.error });
      expect(outcomes.error).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
