import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathCost, sequentialPath } from '../../src/core/planner/index.ts';
import { planReference } from '../../src/core/reference/evaluateReference.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';
import { simplify } from '../../src/core/rewrite/index.ts';
import { answerRunRequest, engineEvaluator, parseRunArgs } from '../../src/cli/runCommand.ts';
import { ensureNodeBackend } from '../../src/engine/node.ts';

beforeAll(async () => {
  // The evaluator selects it too; done here so tf.memory() can be read before the first run.
  await ensureNodeBackend();
});

/** The PyTorch reference cases, read at run time (never copied into the test). */
const FIXTURES = fileURLToPath(new URL('../fixtures/ops.json', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/einsketch.mjs', import.meta.url));
const cases = (
  JSON.parse(readFileSync(FIXTURES, 'utf8')) as {
    cases: {
      id: string;
      request: Record<string, unknown>;
      expected: { shape: number[]; data: number[] };
    }[];
  }
).cases;

/** max |actual − expected| / max |expected|: the 1e-3 criterion, with no extra allowance. */
function relative(actual: readonly number[], expected: readonly number[]): number {
  let scale = 0;
  let err = 0;
  for (let j = 0; j < expected.length; j++) {
    scale = Math.max(scale, Math.abs(expected[j]));
    err = Math.max(err, Math.abs(actual[j] - expected[j]));
  }
  return err / (scale || 1);
}

describe('einsketch run on the engine (tfjs-backend-cpu, float32)', () => {
  it('matches every PyTorch fixture within 1e-3 of its largest magnitude, along the planner path', async () => {
    expect(cases.length).toBeGreaterThan(0);
    const evaluator = engineEvaluator();
    const worst: [string, number][] = [];
    for (const c of cases) {
      const before = tf.memory().numTensors;
      const response = await answerRunRequest(c.request, evaluator);
      expect(tf.memory().numTensors - before, `${c.id} leaks tensors`).toBe(0);
      expect(response.shape, c.id).toEqual(c.expected.shape);
      const err = relative(response.data, c.expected.data);
      worst.push([c.id, err]);
      expect(err, c.id).toBeLessThan(1e-3);
      // The path reported is the one the engine ran (a complete linear path); flops are its
      // dense cost. (The planner's anytime searches may pick another equally good path on
      // another call, so it is not compared with a fresh plan.)
      // The CLI simplifies first (rewrite rules), so the path refers to the simplified network.
      const network = simplify(prepareRequest(c.request).network).network;
      const left = response.path.reduce(
        (n, group) => n - (group.length - 1),
        network.tensors.length,
      );
      expect(left, c.id).toBe(1);
      expect(response.flops, c.id).toBe(
        pathCost(
          network.tensors.map((t) => t.legs),
          network.output,
          network.sizes,
          response.path,
        ).flops,
      );
    }
    worst.sort((a, b) => b[1] - a[1]);
    console.log(
      `worst relative errors: ${worst
        .slice(0, 3)
        .map(([id, e]) => `${id} ${e.toExponential(2)}`)
        .join(', ')}`,
    );
  }, 120_000);

  it('is the default of the bin; --engine reference keeps the float64 evaluator', () => {
    const request = cases.find((c) => c.request.op === 'kfc')!;
    const run = (args: string[]) =>
      spawnSync(process.execPath, [BIN, 'run', ...args, '-'], {
        input: JSON.stringify(request.request),
        encoding: 'utf8',
        timeout: 60_000,
      });
    const engine = run([]);
    const reference = run(['--engine', 'reference']);
    expect(engine.stderr).toBe('');
    expect(reference.stderr).toBe('');
    const e = JSON.parse(engine.stdout);
    const r = JSON.parse(reference.stdout);
    // float32 values are exactly representable in float32; float64 ones generally are not.
    expect(e.data.every((v: number) => Math.fround(v) === v)).toBe(true);
    expect(r.data.some((v: number) => Math.fround(v) !== v)).toBe(true);
    expect(relative(e.data, request.expected.data)).toBeLessThan(1e-3);
    expect(relative(r.data, request.expected.data)).toBeLessThan(1e-3);
    const network = simplify(prepareRequest(request.request).network).network;
    // The reference runs the planner's path for dense tensors (it materialises Π), which
    // costs no more dense FLOPs than the operand order.
    expect(r.path).toEqual(planReference(network));
    const legs = network.tensors.map((t) => t.legs);
    expect(r.flops).toBeLessThanOrEqual(
      pathCost(legs, network.output, network.sizes, sequentialPath(legs.length)).flops,
    );
  }, 60_000);

  it('refuses a request over the memory budget before allocating, naming the step and its size', async () => {
    const big = {
      op: 'conv_forward',
      padding: 1,
      tensors: {
        x: { shape: [4, 16, 64, 64], data: new Array(4 * 16 * 64 * 64).fill(0.25) },
        weight: { shape: [32, 16, 3, 3], data: new Array(32 * 16 * 9).fill(0.5) },
      },
    };
    const before = tf.memory();
    // 4 MiB holds x (1 MiB) and the result (2 MiB) but not the unfolded input (9 MiB).
    await expect(answerRunRequest(big, engineEvaluator(4 * 2 ** 20))).rejects.toThrow(
      /memory budget of 4.00 MiB exceeded at path step \d+ of \d+ \(contracting operands \[\d+, \d+\]\): it allocates \[[\d, ]+\] = \d+ float32 values \(9.00 MiB\)/,
    );
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    const r = spawnSync(process.execPath, [BIN, 'run', '--memory-budget', '4MiB', '-'], {
      input: JSON.stringify(big),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/step \d+/);
    expect(r.stderr).toMatch(/memory budget/);
  }, 60_000);

  it('parses its options and rejects bad ones in one line', () => {
    expect(parseRunArgs(['--engine', 'reference', 'f.json']).evaluator.name).toBe('reference');
    expect(parseRunArgs(['-']).evaluator.name).toBe('engine');
    expect(parseRunArgs(['--memory-budget=2GiB', '-']).file).toBe('-');
    expect(() => parseRunArgs(['--engine', 'gpu', '-'])).toThrow(/--engine must be/);
    expect(() => parseRunArgs(['--memory-budget', 'lots', '-'])).toThrow(/--memory-budget takes/);
    expect(() => parseRunArgs(['--fast', '-'])).toThrow(/unknown option '--fast'/);
  });
});
