import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../helpers/fixtures.ts';

/** `einsketch plan` as docs/design.md §4.1 specifies it, run as a user would. */

const BIN = fileURLToPath(new URL('../../../bin/einsketch.mjs', import.meta.url));

function cli(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const plans = loadFixtures().flatMap((c) => (c.dense_plan ? [c.dense_plan] : []));

// Each case spawns Node with tsx: seconds apiece on a loaded machine, hence the timeout.
describe('einsketch plan', { timeout: 60_000 }, () => {
  it('answers every fixture equation in one batch, at or below the recorded optimum', () => {
    const r = cli(
      ['plan', '-'],
      JSON.stringify(plans.map(({ equation, shapes }) => ({ equation, shapes }))),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      path: number[][];
      flops: number;
      largest_intermediate: number;
    }[];
    expect(out).toHaveLength(plans.length);
    out.forEach((answer, j) => {
      expect(Object.keys(answer).sort()).toEqual(['flops', 'largest_intermediate', 'path']);
      expect(answer.flops).toBeLessThanOrEqual(plans[j].optimal_flops);
      expect(answer.largest_intermediate).toBeGreaterThan(0);
    });
  }, 120_000);

  it('takes one request from a file and prints one object; the named style works too', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'einsketch-plan-')), 'request.json');
    writeFileSync(
      file,
      JSON.stringify({
        equation: 'n c_in i, k o i, c_out c_in k -> n c_out o',
        shapes: [
          [2, 3, 8],
          [3, 6, 8],
          [4, 3, 3],
        ],
      }),
    );
    const r = cli(['plan', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.path).toHaveLength(2);
    expect(typeof out.flops).toBe('number');
  });

  it("a matrix chain: opt_einsum's numbers", () => {
    // ab,bc,cd with a=10, b=100, c=5, d=50: (ab·bc) first = 2·10·100·5 + 2·10·5·50 = 15000.
    const r = cli(
      ['plan', '-'],
      JSON.stringify({
        equation: 'ab,bc,cd->ad',
        shapes: [
          [10, 100],
          [100, 5],
          [5, 50],
        ],
      }),
    );
    expect(JSON.parse(r.stdout)).toEqual({
      path: [
        [0, 1],
        [0, 1],
      ],
      flops: 15000,
      largest_intermediate: 500,
    });
  });

  it('a bad element of an array gets {error}; the others are answered; exit code non-zero', () => {
    const r = cli(
      ['plan', '-'],
      JSON.stringify([
        {
          equation: 'ij,jk->ik',
          shapes: [
            [2, 3],
            [3, 4],
          ],
        },
        {
          equation: 'ij,jk->ik',
          shapes: [
            [2, 3],
            [4, 4],
          ],
        },
        {
          equation: 'ij,jk->ik',
          shapes: [
            [2, 3],
            [3, 4],
          ],
          extra: 1,
        },
      ]),
    );
    expect(r.code).not.toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out[0]).toEqual({ path: [[0, 1]], flops: 48, largest_intermediate: 8 });
    expect(out[1].error).toMatch(/index 'j' has size 3 in one place but 4 in operand 2/);
    expect(out[2].error).toMatch(/unknown field\(s\) 'extra'/);
  });

  const bad: [string, string, RegExp][] = [
    [
      'shape count',
      JSON.stringify({ equation: 'ij,jk->ik', shapes: [[2, 3]] }),
      /the equation has 2 operands but 1 shapes were given/,
    ],
    [
      'malformed equation',
      JSON.stringify({
        equation: 'ij,j$->ik',
        shapes: [
          [2, 3],
          [3, 4],
        ],
      }),
      /einsum position 4/,
    ],
    [
      'missing shapes',
      JSON.stringify({ equation: 'ij,jk->ik' }),
      /shapes is missing: it must be a list with one shape/,
    ],
    ['malformed JSON', '{"equation": ', /malformed JSON/],
  ];
  for (const [what, input, message] of bad) {
    it(`a single bad request (${what}) exits non-zero with one line on stderr`, () => {
      const r = cli(['plan', '-'], input);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
