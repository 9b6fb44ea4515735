import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/einsketch.mjs', import.meta.url));

function cli(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cases = loadFixtures('curvature_ops.json');
const ones = (shape: number[]) => ({
  shape,
  data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0.5),
});

/** Requests that are wrong in one way each, with what the message must name. */
const badRequests: [string, unknown, RegExp][] = [
  [
    'a bias of the wrong length',
    {
      op: 'conv_forward',
      tensors: { x: ones([1, 2, 5]), weight: ones([3, 2, 3]), bias: ones([2]) },
    },
    /'bias' must have shape \[3\]/,
  ],
  [
    'an unexpected tensor',
    { op: 'avg_pool', kernel_size: 2, tensors: { x: ones([1, 1, 4]), weight: ones([1, 1, 2]) } },
    /avg_pool takes tensors x; got unexpected tensor 'weight'/,
  ],
  [
    'avg_pool padding over half the kernel',
    { op: 'avg_pool', kernel_size: 2, padding: 2, tensors: { x: ones([1, 1, 4]) } },
    /half the kernel size 2, got 2/,
  ],
  [
    "avg_pool with padding 'same'",
    { op: 'avg_pool', kernel_size: 3, padding: 'same', tensors: { x: ones([1, 1, 4]) } },
    /avg_pool takes padding as integers/,
  ],
  [
    'fold without input_size',
    { op: 'fold', kernel_size: 2, tensors: { x: ones([1, 4, 9]) } },
    /input_size .* is required for fold/,
  ],
  [
    'fold with the wrong number of columns',
    { op: 'fold', kernel_size: 2, input_size: 4, tensors: { x: ones([1, 4, 8]) } },
    /'x' has 8 columns but the windows give 9/,
  ],
  [
    'unfold_kernel without input_size',
    { op: 'unfold_kernel', tensors: { weight: ones([2, 1, 3]) } },
    /input_size is required for unfold_kernel/,
  ],
  [
    'ggn_diagonal with s missing its row leg',
    { op: 'ggn_diagonal', kernel_size: 3, tensors: { x: ones([1, 1, 5]), s: ones([1, 1, 3]) } },
    /'s' must be \[C, N, C_out, \*O\]/,
  ],
  [
    'per_example_grad_norm with batches that differ',
    {
      op: 'per_example_grad_norm',
      kernel_size: 3,
      tensors: { x: ones([2, 1, 5]), v: ones([1, 1, 3]) },
    },
    /'v' has batch size 1 but 'x' has 2/,
  ],
];

describe('einsketch run on the curvature operations', () => {
  it('matches PyTorch float64 within 1e-3 relative on every case, in one batch', () => {
    const r = cli(['run', '-'], JSON.stringify(cases.map((c) => c.request)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      op: string;
      shape: number[];
      data: number[];
      flops: number;
      addends?: unknown[];
    }[];
    expect(out).toHaveLength(cases.length);
    out.forEach((response, j) => {
      const c = cases[j];
      expect(response.op, c.id).toBe(c.request.op);
      expect(response.shape, c.id).toEqual(c.expected.shape);
      expect(relativeError(response.data, c.expected.data), c.id).toBeLessThan(1e-3);
      expect(response.flops).toBeGreaterThan(0);
      expect(response.addends !== undefined, c.id).toBe(c.request.tensors.bias !== undefined);
    });
  }, 120_000);

  // One process for all of them (starting Node is the slow part): in an array, each bad
  // element gets {error} with its one-line message.
  it('answers each bad request with a one-line error naming the problem', () => {
    const r = cli(['run', '-'], JSON.stringify(badRequests.map(([, request]) => request)));
    const out = JSON.parse(r.stdout) as { error?: string }[];
    expect(out).toHaveLength(badRequests.length);
    badRequests.forEach(([what, , message], j) => {
      expect(out[j].error, what).toMatch(message);
      expect(out[j].error, what).not.toContain('\n');
    });
  }, 120_000);

  it('exits non-zero with one line on stderr for a single bad request', () => {
    const r = cli(['run', '-'], JSON.stringify(badRequests[0][1]));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(badRequests[0][2]);
  }, 120_000);
});
