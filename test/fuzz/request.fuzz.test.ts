import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareRequest } from '../../src/core/runRequest.ts';
import { loadFixtures } from '../helpers/fixtures.ts';
import {
  expectCleanOutcome,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  reportFuzz,
} from '../helpers/fuzz.ts';

const requests = loadFixtures().map((c) => c.request);

/** A fixture request with one field replaced by something random. */
const mutatedRequest = fc
  .record({
    base: fc.constantFrom(...requests),
    field: fc.constantFrom(
      'op',
      'stride',
      'padding',
      'dilation',
      'groups',
      'kernel_size',
      'input_size',
      'output_padding',
      'tensors',
      'x',
      'weight',
      'v',
      'simplify',
    ),
    value: fc.oneof(
      fc.integer({ min: -3, max: 40 }),
      fc.array(fc.integer({ min: -2, max: 12 }), { maxLength: 4 }),
      fc.constantFrom('same', 'valid', 'full', '', null, true, 1.5, 1e300, NaN),
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({
        shape: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }),
        data: fc.array(fc.double(), { maxLength: 30 }),
      }),
    ),
  })
  .map(({ base, field, value }) => {
    const r: Record<string, unknown> = structuredClone(base);
    if (field === 'x' || field === 'weight' || field === 'v') {
      r.tensors = { ...(r.tensors as object), [field]: value };
    } else {
      r[field] = value;
    }
    return r;
  });

describe('fuzzing the CLI request parser', () => {
  it(
    'answers mutated requests with a network or a one-line error',
    () => {
      const outcomes = { ok: 0, error: 0 };
      fc.assert(
        fc.property(fc.oneof(mutatedRequest, fc.jsonValue({ maxDepth: 3 })), (request) => {
          outcomes[expectCleanOutcome(() => prepareRequest(request))]++;
        }),
        fuzzParameters(1500),
      );
      reportFuzz('request parser', { built: outcomes.ok, 'clean errors': outcomes.error });
      expect(outcomes.error).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('refuses oversized tensors before allocating them', () => {
    const huge = {
      op: 'unfold',
      kernel_size: 1,
      tensors: { x: { shape: [1 << 14, 1 << 14, 4], data: [] } },
    };
    expect(() => prepareRequest(huge)).toThrow(/limit/);
  });
});
