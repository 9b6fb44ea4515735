import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportPyTorch,
  subjectOfDiagram,
  subjectOfNetwork,
  type ExportSubject,
} from '../../src/core/export/index.ts';
import type { OpInput } from '../../src/core/ops/index.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';
import { derivedCases, referenceOf, small } from './derived.ts';
import { PYTHON, requireModule, runFromShell, runScripts, type ScriptResult } from './runPython.ts';
import { smallPreset } from '../helpers/smallPresets.ts';

/**
 * The exported PyTorch code of every fixture case (test/fixtures/ops.json, made with
 * PyTorch's built-ins), run with Debian's python3-torch on the fixture's inputs, must give
 * the fixture's result. Missing torch fails the test: `apt-get install -y python3-torch`.
 */

// The curvature cases too, except conv_forward with a bias: the bias is a second network
// added by `einsketch run`, and an export shows one network.
const fixtures = [
  ...loadFixtures(),
  ...loadFixtures('curvature_ops.json').filter((c) => c.request.tensors.bias === undefined),
];

function subjectOfRequest(request: Record<string, unknown>, title: string): ExportSubject {
  const { network } = prepareRequest(request);
  const { tensors, op, ...hyper } = request as {
    tensors: Record<string, { shape: number[] }>;
    op: string;
  };
  const shapes = Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.shape]));
  return subjectOfNetwork(network, {
    op: op as ExportSubject['op'],
    opInput: { ...(hyper as OpInput), shapes },
    title,
  });
}

let torchVersion = '';
let setupError: Error | null = null;
let results: Record<string, ScriptResult> = {};
let ms = 0;

beforeAll(() => {
  try {
    torchVersion = requireModule('torch', 'python3-torch');
    const jobs = fixtures.map((c) => ({
      id: c.id,
      script: exportPyTorch(subjectOfRequest(c.request, c.id)),
      inputs: c.request,
    }));
    ({ results, ms } = runScripts(jobs));
    console.log(
      `PyTorch ${torchVersion} (${PYTHON}): ${jobs.length} exported scripts ran in one process in ${(ms / 1000).toFixed(1)} s`,
    );
  } catch (err) {
    setupError = err as Error;
  }
}, 300_000);

/** A missing torch fails every test here with the reason; it never skips. */
function ready(): void {
  if (setupError) throw setupError;
}

describe('exported PyTorch code on the fixtures', () => {
  it("runs on Debian's python3 with python3-torch", () => {
    ready();
    expect(torchVersion).toMatch(/^\d+\.\d+/);
  });

  it.each(fixtures.map((c) => [c.id, c] as const))('%s gives the fixture’s result', (id, c) => {
    ready();
    const r = results[id];
    if (!r.ok) throw new Error(`${id}: the exported script failed:\n${r.error}`);
    expect(r.shape).toEqual(c.expected.shape);
    expect(relativeError(r.data, c.expected.data)).toBeLessThan(1e-9);
    if (r.max_abs_diff_builtin !== undefined) expect(r.max_abs_diff_builtin).toBeLessThan(1e-9);
  });

  it('checks against a PyTorch built-in wherever one exists', () => {
    ready();
    const withBuiltin = fixtures.filter(
      (c) =>
        (results[c.id] as { max_abs_diff_builtin?: number }).max_abs_diff_builtin !== undefined,
    );
    const ops = new Set(withBuiltin.map((c) => c.request.op));
    // conv, transpose conv, both VJPs; unfold / KFC / KFAC-reduce in 2-d with symmetric padding.
    for (const op of [
      'conv_forward',
      'conv_input_vjp',
      'conv_weight_vjp',
      'conv_transpose_forward',
    ])
      expect(ops).toContain(op);
    expect(withBuiltin.length).toBeGreaterThanOrEqual(40);
  });
});

describe('exported PyTorch code of derived diagrams', () => {
  it('matches the reference evaluator on slices, selects, summed patterns, deltas, sums and scalars', () => {
    ready();
    const cases = derivedCases();
    const { results: out } = runScripts(
      cases.map((c) => ({ id: c.id, script: exportPyTorch(c.subject), inputs: c.json })),
    );
    for (const c of cases) {
      const r = out[c.id];
      if (!r.ok) throw new Error(`${c.id}: the exported script failed:\n${r.error}`);
      const expected = referenceOf(c.subject, c.inputs);
      expect(r.shape, c.id).toEqual(expected.shape);
      expect(relativeError(r.data, expected.data), c.id).toBeLessThan(1e-10);
    }
  }, 120_000);
});

describe('the exported script as a user runs it', () => {
  const conv = fixtures.find((c) => c.request.op === 'conv_forward')!;

  it('reads an inputs file given on the command line', () => {
    ready();
    const script = exportPyTorch(subjectOfRequest(conv.request, conv.id));
    const run = runFromShell(script, (dir) => {
      writeFileSync(join(dir, 'inputs.json'), JSON.stringify(conv.request));
      return ['inputs.json'];
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(relativeError(out.data, conv.expected.data)).toBeLessThan(1e-9);
    expect(run.stderr).toMatch(/max \|network - built-in\| = \d/);
  }, 120_000);

  it('runs with no arguments on inline or random inputs', () => {
    ready();
    const tensors = conv.request.tensors;
    const inline = exportPyTorch(subjectOfRequest(conv.request, conv.id), {
      inputs: { kind: 'inline', tensors },
    });
    const a = runFromShell(inline);
    expect(a.status, a.stderr).toBe(0);
    expect(relativeError(JSON.parse(a.stdout).data, conv.expected.data)).toBeLessThan(1e-9);
    const random = exportPyTorch(
      subjectOfDiagram({
        source: smallPreset('kfc', small),
        steps: [],
        title: 'KFC "quoted" \\ title\nwith a newline """',
      }),
      { dtype: 'float32' },
    );
    expect(random).toContain(
      '"""KFC ?quoted? ? title?with a newline ???: a tensor network exported by einsketch.',
    );
    const b = runFromShell(random);
    expect(b.status, b.stderr).toBe(0);
    const out = JSON.parse(b.stdout);
    expect(out.shape).toEqual([2, 8, 8]);
    expect(out.max_abs_diff_builtin).toBeLessThan(1e-4);
  }, 120_000);
});
