import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerBatch } from '../../src/cli/requestIo.ts';
import {
  answerRunRequest,
  engineEvaluator,
  referenceEvaluator,
  type RunResponse,
} from '../../src/cli/runCommand.ts';
import { errorMessage } from '../../src/core/errors.ts';
import { OPERATIONS } from '../../src/core/ops/index.ts';
import { loadFixtures } from '../helpers/fixtures.ts';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, reportFuzz } from '../helpers/fuzz.ts';

/**
 * `einsketch run` end to end (validation, network, simplification, planning, budgets,
 * evaluation) with both engines: every request gets a response or a one-line message that
 * is not an internal error, and where both engines answer they agree.
 */

const fixtures = loadFixtures().map((c) => c.request);
const OP_NAMES = Object.keys(OPERATIONS);
const MEMORY_BUDGETS = [256, 4096, 65536, 2 ** 20, 2 ** 30];

const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, j) => Math.sin(seed + 1.7 * j));
const tensor = (shape: number[], seed: number) => ({
  shape,
  data: values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
});

/** A request whose shapes follow the op's layout for a random geometry (the builder may still refuse it). */
const coherentRequest = fc
  .record({
    op: fc.constantFrom(...OP_NAMES),
    dims: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 2 }),
    cIn: fc.integer({ min: 1, max: 3 }),
    cOut: fc.integer({ min: 1, max: 3 }),
    input: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
    kernel: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('same', 'valid', undefined)),
    outputPadding: fc.integer({ min: 0, max: 1 }),
    asLists: fc.boolean(),
    simplify: fc.constantFrom(true, false, undefined),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((g) => {
    const I = g.input.slice(0, g.dims);
    const K = g.kernel.slice(0, g.dims);
    const pad = typeof g.padding === 'number' ? g.padding : 0;
    const O = I.map((i, d) =>
      Math.max(1, 1 + Math.floor((i + 2 * pad - g.dilation * (K[d] - 1) - 1) / g.stride)),
    );
    const hyper = (v: number) => (g.asLists ? new Array<number>(g.dims).fill(v) : v);
    const x = tensor([g.n, g.groups * g.cIn, ...I], g.seed);
    const weight = tensor([g.groups * g.cOut, g.cIn, ...K], g.seed + 1);
    const v = tensor([g.n, g.groups * g.cOut, ...O], g.seed + 2);
    const tensors: Record<string, Record<string, unknown>> = {
      conv_forward: { x, weight },
      conv_input_vjp: { v, weight },
      conv_weight_vjp: { x, v },
      conv_per_example_weight_vjp: { x, v },
      conv_input_jvp: { v: x, weight },
      conv_weight_jvp: { x, v: weight },
      conv_transpose_forward: { x, weight: tensor([g.groups * g.cIn, g.cOut, ...K], g.seed + 3) },
    };
    const request: Record<string, unknown> = {
      op: g.op,
      tensors: tensors[g.op] ?? { x },
      stride: hyper(g.stride),
      dilation: hyper(g.dilation),
      groups: g.groups,
      kernel_size: hyper(K[0]),
      input_size: I,
      output_padding: hyper(g.outputPadding),
    };
    if (g.asLists) request.kernel_size = K;
    if (g.padding !== undefined)
      request.padding = typeof g.padding === 'number' ? hyper(g.padding) : g.padding;
    if (g.simplify !== undefined) request.simplify = g.simplify;
    // Fields the op does not take are unknown to it only by name; drop them as a user would.
    const takes = new Set<string>(OPERATIONS[g.op as keyof typeof OPERATIONS].hyperParameters);
    for (const field of [
      'stride',
      'dilation',
      'groups',
      'kernel_size',
      'input_size',
      'output_padding',
      'padding',
    ]) {
      if (!takes.has(field)) delete request[field];
    }
    return request;
  });

/** A fixture request with one field or one tensor replaced by something random. */
const mutatedRequest = fc
  .record({
    base: fc.constantFrom(...fixtures),
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
      fc.constantFrom('same', 'valid', 'full', '', null, true, 1.5, 1e300, -0),
      fc.jsonValue({ maxDepth: 2 }),
      fc
        .record({
          shape: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 5 }),
          seed: fc.nat(),
        })
        .map(({ shape, seed }) => tensor(shape, seed)),
      // Huge shapes with little data: refused by the entry limits, never allocated.
      fc.record({
        shape: fc.array(fc.constantFrom(1, 2 ** 12, 2 ** 24, 2 ** 31, 1e9), {
          minLength: 1,
          maxLength: 5,
        }),
        data: fc.constant([]),
      }),
    ),
  })
  .map(({ base, field, value }) => {
    const r: Record<string, unknown> = structuredClone(base);
    if (field === 'x' || field === 'weight' || field === 'v')
      r.tensors = { ...(r.tensors as object), [field]: value };
    else r[field] = value;
    return r;
  });

const request = fc.oneof(
  { weight: 6, arbitrary: coherentRequest },
  { weight: 3, arbitrary: mutatedRequest },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  let scale = 1e-30;
  let diff = 0;
  for (let j = 0; j < a.length; j++) {
    scale = Math.max(scale, Math.abs(b[j]));
    diff = Math.max(diff, Math.abs(a[j] - b[j]));
  }
  return diff / scale;
}

describe('fuzzing einsketch run with both engines', () => {
  it(
    'answers every request or refuses it in one line, never with an internal error',
    async () => {
      const counts = { 'both answered': 0, 'one refused': 0, 'both refused': 0 };
      const internal: string[] = [];
      await fc.assert(
        fc.asyncProperty(request, fc.constantFrom(...MEMORY_BUDGETS), async (raw, budget) => {
          // As main() answers it (an array is a batch): the responses, or the lines it prints.
          const answers: (RunResponse | undefined)[][] = [];
          for (const evaluator of [engineEvaluator(budget), referenceEvaluator(budget)]) {
            const outcome = await answerBatch(
              raw,
              (r) => answerRunRequest(r, evaluator),
              errorMessage,
            );
            for (const line of outcome.errors) {
              if (line.includes('internal error') || line.includes('\n') || line.length === 0)
                internal.push(
                  `${evaluator.name}: ${line} for ${JSON.stringify(raw).slice(0, 300)}`,
                );
            }
            expect(internal).toEqual([]);
            const responses = (
              Array.isArray(raw) ? (outcome.output as Record<string, unknown>[]) : [outcome.output]
            ) as (RunResponse | { error: string } | undefined)[];
            answers.push(responses.map((r) => (r && !('error' in r) ? r : undefined)));
          }
          const [engine, reference] = answers;
          engine.forEach((e, j) => {
            const r = reference[j];
            if (e && r) {
              counts['both answered']++;
              expect(e.shape).toEqual(r.shape);
              expect(maxRelativeDifference(e.data, r.data)).toBeLessThan(1e-3);
            } else counts[e || r ? 'one refused' : 'both refused']++;
          });
        }),
        fuzzParameters(150),
      );
      reportFuzz('CLI run (both engines)', counts);
      expect(counts['both answered']).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
