import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const cases = loadFixtures();
const conv = cases.find((c) => c.request.op === 'conv_forward')!.request;
const x = (shape: number[]) => ({
  shape,
  data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0.5),
});

/** Requests that are wrong in one way each, with what the message must name. */
const badRequests: [string, unknown, RegExp][] = [
  ['unknown op', { ...conv, op: 'conv_sideways' }, /unknown op 'conv_sideways'/],
  [
    'data length does not match the shape',
    {
      op: 'conv_forward',
      tensors: { x: { shape: [1, 1, 4], data: [1, 2] }, weight: x([1, 1, 2]) },
    },
    /tensor 'x' has 2 values but shape \[1, 1, 4\] needs 4/,
  ],
  [
    'channels of weight and x disagree',
    { op: 'conv_forward', tensors: { x: x([1, 3, 5]), weight: x([2, 2, 3]) } },
    /'weight' has 2 input channels per group but 'x' has 3 channels/,
  ],
  [
    'kernel larger than padded input',
    { op: 'conv_forward', tensors: { x: x([1, 1, 3]), weight: x([1, 1, 5]) }, padding: 0 },
    /kernel larger than padded input/,
  ],
  [
    'groups not dividing channels',
    { op: 'conv_forward', groups: 2, tensors: { x: x([1, 3, 5]), weight: x([2, 1, 3]) } },
    /groups 2 does not divide in_channels 3/,
  ],
  [
    "'same' with stride > 1",
    {
      op: 'conv_forward',
      padding: 'same',
      stride: 2,
      tensors: { x: x([1, 1, 5]), weight: x([1, 1, 3]) },
    },
    /'same' needs stride 1/,
  ],
  ['missing tensor', { op: 'conv_forward', tensors: { x: x([1, 1, 5]) } }, /needs tensor 'weight'/],
  ['unknown field', { ...conv, strides: 2 }, /unknown field\(s\) 'strides'/],
  [
    'wrong type',
    { ...conv, stride: 'two' },
    /stride must be a positive integer or one per spatial dimension, got "two"/,
  ],
];

// Each case spawns Node with tsx: seconds apiece on a loaded machine, hence the timeout.
describe('einsketch run', { timeout: 60_000 }, () => {
  it('answers every PyTorch reference case in one batch, in order', () => {
    const r = cli(['run', '-'], JSON.stringify(cases.map((c) => c.request)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      op: string;
      shape: number[];
      data: number[];
      path: number[][];
      flops: number;
      equation: string;
    }[];
    expect(out).toHaveLength(cases.length);
    out.forEach((response, j) => {
      expect(response.op).toBe(cases[j].request.op);
      expect(response.shape).toEqual(cases[j].expected.shape);
      expect(relativeError(response.data, cases[j].expected.data)).toBeLessThan(1e-3);
      expect(response.flops).toBeGreaterThan(0);
      expect(typeof response.equation).toBe('string');
      expect(Array.isArray(response.path)).toBe(true);
    });
  }, 120_000);

  it.each(badRequests)('rejects a request with %s in one line', (_what, request, message) => {
    const r = cli(['run', '-'], JSON.stringify(request));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('rejects malformed JSON in one line', () => {
    const r = cli(['run', '-'], '{"op": "conv_forward", ');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/malformed JSON/);
  });

  it('answers the good elements of a batch and marks the bad ones', () => {
    const batch = [conv, ...badRequests.map(([, req]) => req), conv];
    const r = cli(['run', '-'], JSON.stringify(batch));
    expect(r.code).not.toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out).toHaveLength(batch.length);
    expect(out[0].op).toBe('conv_forward');
    expect(out[out.length - 1].op).toBe('conv_forward');
    badRequests.forEach(([, , message], j) => {
      expect(String(out[j + 1].error)).toMatch(message);
    });
    expect(r.stderr.trim().split('\n')).toHaveLength(badRequests.length);
  });

  it('reads a file and reports a missing one', () => {
    const missing = cli(['run', '/nonexistent/requests.json']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot read '\/nonexistent\/requests.json'/);
  });

  it('ends quietly when its reader closes the pipe early (EPIPE)', () => {
    // 2·4·32·32 inputs give a response of about 100 KB, more than a pipe buffers.
    const dir = mkdtempSync(join(tmpdir(), 'einsketch-'));
    const file = join(dir, 'big.json');
    const values = (n: number) => Array.from({ length: n }, (_, j) => Math.sin(j));
    writeFileSync(
      file,
      JSON.stringify({
        op: 'conv_forward',
        tensors: {
          x: { shape: [2, 4, 32, 32], data: values(8192) },
          weight: { shape: [8, 4, 3, 3], data: values(288) },
        },
      }),
    );
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"$0" "$1" run "$2" | head -c 50; exit \${PIPESTATUS[0]}`,
        process.execPath,
        BIN,
        file,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    rmSync(dir, { recursive: true });
    expect(r.stdout).toHaveLength(50);
    expect(r.stderr).toBe('');
    // As if ended by SIGPIPE (128 + 13), like any Unix tool.
    expect(r.status).toBe(141);
  });

  it('rejects an unknown command', () => {
    const r = cli(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});

describe('einsums with declared operands in the CLI', () => {
  it('answers run with the declared einsum, which plan reads back', () => {
    const r = cli(['run', '-'], JSON.stringify({ ...conv, simplify: false }));
    expect(r.code).toBe(0);
    const { einsum } = JSON.parse(r.stdout) as { einsum: string };
    expect(einsum).toMatch(/ ; x, Π₁=Pi\(I=\d+,K=\d+,S=\d+,P=\d+(\/\d+)?,D=\d+\)/);
    const shapes = einsum
      .split(';')[0]
      .split('->')[0]
      .split(',')
      .map(() => [] as number[]);
    expect(shapes.length).toBeGreaterThan(2);
    const bad = cli(
      ['plan', '-'],
      JSON.stringify({ equation: einsum.replace('Pi(', 'Pi(Q=1,'), shapes }),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown key 'Q' in Pi/);
    const plan = cli(
      ['plan', '-'],
      JSON.stringify({
        equation: 'a b, k o b -> a k o ; x, p=Pi(I=5,K=3,S=2,P=1,D=1)',
        shapes: [
          [2, 5],
          [3, 3, 5],
        ],
      }),
    );
    expect(plan.stderr).toBe('');
    expect(JSON.parse(plan.stdout)).toMatchObject({ path: [[0, 1]] });
  }, 60_000);
});
