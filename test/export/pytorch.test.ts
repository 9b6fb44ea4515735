import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPyTorch, subjectOfDiagram, subjectOfNetwork, type ExportSubject } from '../../src/core/export/index.ts';
import { product } from '../../src/core/network.ts';
import { presetSource, requireInputShapes, type DiagramCell } from '../../src/core/notebook/index.ts';
import type { OpInput } from '../../src/core/ops/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluate.ts';
import { prepareRequest } from '../../src/core/request.ts';
import type { Inputs } from '../../src/core/tensor.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';
import { randomTensor } from '../helpers/random.ts';
import { PYTHON, requireModule, runFromShell, runScripts, type ScriptResult } from './runPython.ts';

/**
 * The exported PyTorch code of every fixture case (test/fixtures/ops.json, made with
 * PyTorch's built-ins), run with Debian's python3-torch on the fixture's inputs, must give
 * the fixture's result. Missing torch fails the test: `apt-get install -y python3-torch`.
 */

const fixtures = loadFixtures();

function subjectOfRequest(request: Record<string, unknown>, title: string): ExportSubject {
  const { network } = prepareRequest(request);
  const { tensors, op, ...hyper } = request as { tensors: Record<string, { shape: number[] }>; op: string };
  const shapes = Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.shape]));
  return subjectOfNetwork(network, { op: op as ExportSubject['op'], opInput: { ...(hyper as OpInput), shapes }, title });
}

let torchVersion = '';
let setupError: Error | null = null;
let results: Record<string, ScriptResult> = {};
let ms = 0;

beforeAll(() => {
  try {
    torchVersion = requireModule('torch', 'python3-torch');
    const jobs = fixtures.map((c) => ({ id: c.id, script: exportPyTorch(subjectOfRequest(c.request, c.id)), inputs: c.request }));
    ({ results, ms } = runScripts(jobs));
    console.log(`PyTorch ${torchVersion} (${PYTHON}): ${jobs.length} exported scripts ran in one process in ${(ms / 1000).toFixed(1)} s`);
  } catch (err) {
    setupError = err as Error;
  }
}, 300_000);

/** A missing torch fails every test here with the reason; it never skips. */
function ready(): void {
  if (setupError) throw setupError;
}

describe('exported PyTorch code on the fixtures', () => {
  it('runs on Debian\'s python3 with python3-torch', () => {
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
    const withBuiltin = fixtures.filter((c) => (results[c.id] as { max_abs_diff_builtin?: number }).max_abs_diff_builtin !== undefined);
    const ops = new Set(withBuiltin.map((c) => c.request.op));
    // conv, transpose conv, both VJPs; unfold / KFC / KFAC-reduce in 2-d with symmetric padding.
    for (const op of ['conv_forward', 'conv_input_vjp', 'conv_weight_vjp', 'conv_transpose_forward']) expect(ops).toContain(op);
    expect(withBuiltin.length).toBeGreaterThanOrEqual(40);
  });
});

const small = { batch: 2, inChannels: 4, outChannels: 6, input: [6, 5], kernel: [2, 2], stride: [1, 2], padding: [1, 0], dilation: [1, 1], groups: 2, outputPadding: [0, 0] };
const dense = { ...small, input: [4, 6], kernel: [2, 3], stride: [2, 3], padding: [0, 0] };
const down = { ...small, input: [6, 8], kernel: [1, 1], stride: [2, 2], padding: [0, 0] };

/** Diagrams whose networks carry every construct the exporter writes. */
const DERIVED: { id: string; cell: Pick<DiagramCell, 'source' | 'steps'> }[] = [
  { id: 'dense-simplified', cell: { source: presetSource('conv_forward', dense), steps: [{ kind: 'simplify' }] } },
  { id: 'downsample-simplified', cell: { source: presetSource('conv_forward', down), steps: [{ kind: 'simplify' }] } },
  { id: 'dropout', cell: { source: presetSource('conv_weight_vjp', small), steps: [{ kind: 'dropout', index: 'o1', keep: 0.5, seed: 3 }, { kind: 'dropout', index: 'n', keep: 0.5, seed: 4 }] } },
  { id: 'summed-pattern', cell: { source: presetSource('kfac_reduce', small), steps: [{ kind: 'simplify' }] } },
  { id: 'jacobian-deltas', cell: { source: presetSource('conv_forward', small), steps: [{ kind: 'derivative', source: 'weight' }] } },
  { id: 'product-rule', cell: { source: presetSource('kfc', small), steps: [{ kind: 'derivative', source: 'x' }] } },
  { id: 'vjp-of-vjp', cell: { source: presetSource('conv_forward', small), steps: [{ kind: 'vjp', source: 'x' }, { kind: 'vjp', source: 'weight' }] } },
  { id: 'norms', cell: { source: presetSource('conv_per_example_weight_vjp', small), steps: [{ kind: 'squared_norm', keep: ['n'] }] } },
  { id: 'transpose', cell: { source: presetSource('conv_transpose_forward', { ...small, stride: [2, 2], outputPadding: [1, 0] }), steps: [] } },
  { id: 'einsum', cell: { source: { kind: 'einsum', equation: 'ab,bc,cd->ad', shapes: [[3, 4], [4, 5], [5, 2]] }, steps: [] } },
];

function referenceOf(subject: ExportSubject, inputs: Inputs): { shape: number[]; data: number[] } {
  const shape = subject.terms[0].network.resultShape;
  const data = new Array<number>(product(shape)).fill(0);
  for (const { coefficient, network } of subject.terms) {
    const value = evaluateReference(network, inputs);
    value.data.forEach((v, j) => (data[j] += coefficient * v));
  }
  return { shape: [...shape], data };
}

describe('exported PyTorch code of derived diagrams', () => {
  it('matches the reference evaluator on slices, selects, summed patterns, deltas, sums and scalars', () => {
    ready();
    const cases = DERIVED.map(({ id, cell }, j) => {
      const subject = subjectOfDiagram(cell);
      const shapes = requireInputShapes(subject.terms[0].network);
      for (const t of subject.terms.slice(1)) Object.assign(shapes, requireInputShapes(t.network));
      const inputs: Inputs = Object.fromEntries(Object.entries(shapes).map(([name, shape], k) => [name, randomTensor(shape, 100 * j + k)]));
      const json = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, { shape: t.shape, data: [...t.data] }]));
      return { id, subject, inputs, json };
    });
    const { results: out } = runScripts(cases.map((c) => ({ id: c.id, script: exportPyTorch(c.subject), inputs: c.json })));
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
    const inline = exportPyTorch(subjectOfRequest(conv.request, conv.id), { inputs: { kind: 'inline', tensors } });
    const a = runFromShell(inline);
    expect(a.status, a.stderr).toBe(0);
    expect(relativeError(JSON.parse(a.stdout).data, conv.expected.data)).toBeLessThan(1e-9);
    const random = exportPyTorch(subjectOfDiagram({ source: presetSource('kfc', small), steps: [], title: 'KFC "quoted" \\ title\nwith a newline """' }), { dtype: 'float32' });
    expect(random).toContain('"""KFC ?quoted? ? title?with a newline ???: a tensor network exported by einsketch.');
    const b = runFromShell(random);
    expect(b.status, b.stderr).toBe(0);
    const out = JSON.parse(b.stdout);
    expect(out.shape).toEqual([2, 8, 8]);
    expect(out.max_abs_diff_builtin).toBeLessThan(1e-4);
  }, 120_000);
});
