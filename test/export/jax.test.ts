import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJax, subjectOfNetwork, type ExportSubject } from '../../src/core/export/index.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';
import { derivedCases, referenceOf } from './derived.ts';
import { PYTHON, requireModule, runScripts, type ScriptResult } from './runPython.ts';

/**
 * The exported JAX code on the fixtures. CI has no JAX (Debian does not package it), so by
 * default the scripts run with a stand-in `jax` package whose `jax.numpy` is NumPy (same
 * einsum, arange, take, reshape, astype semantics) — this checks the generated program, not
 * JAX itself. Set EINSKETCH_JAX_PYTHON to a python with JAX installed to run them on JAX.
 */

const realJax = process.env.EINSKETCH_JAX_PYTHON;
const python = realJax ?? PYTHON;
const fixtures = loadFixtures();
let shim = '';
let setupError: Error | null = null;
let results: Record<string, ScriptResult> = {};
let derived: Record<string, ScriptResult> = {};
const cases = derivedCases();

function env(): Record<string, string> {
  return shim ? { PYTHONPATH: shim } : {};
}

beforeAll(() => {
  try {
    if (!realJax) {
      shim = mkdtempSync(join(tmpdir(), 'einsketch-jax-shim-'));
      mkdirSync(join(shim, 'jax', 'numpy'), { recursive: true });
      writeFileSync(
        join(shim, 'jax', '__init__.py'),
        '"""Stand-in for JAX in tests: jax.numpy is NumPy."""\n__version__ = "numpy-stand-in"\n\n\nclass _Config:\n    def update(self, name, value):\n        pass\n\n\nconfig = _Config()\n',
      );
      writeFileSync(
        join(shim, 'jax', 'numpy', '__init__.py'),
        'from numpy import *  # noqa: F401,F403\n',
      );
    }
    const version = requireModule('jax', realJax ? 'jax' : 'python3-numpy', python, env());
    const subject = (request: Record<string, unknown>, id: string): ExportSubject =>
      subjectOfNetwork(prepareRequest(request).network, { title: id });
    ({ results } = runScripts(
      fixtures.map((c) => ({
        id: c.id,
        script: exportJax(subject(c.request, c.id)),
        inputs: c.request,
      })),
      env(),
      python,
    ));
    ({ results: derived } = runScripts(
      cases.map((c) => ({ id: c.id, script: exportJax(c.subject), inputs: c.json })),
      env(),
      python,
    ));
    console.log(
      `JAX export run with ${python} on ${realJax ? `JAX ${version}` : 'the NumPy stand-in'}`,
    );
  } catch (err) {
    setupError = err as Error;
  }
}, 300_000);

afterAll(() => {
  if (shim) rmSync(shim, { recursive: true, force: true });
});

function ready(): void {
  if (setupError) throw setupError;
}

describe('exported JAX code', () => {
  it.each(fixtures.map((c) => [c.id, c] as const))('%s gives the fixture’s result', (id, c) => {
    ready();
    const r = results[id];
    if (!r.ok) throw new Error(`${id}: the exported script failed:\n${r.error}`);
    expect(r.shape).toEqual(c.expected.shape);
    expect(relativeError(r.data, c.expected.data)).toBeLessThan(1e-9);
  });

  it('matches the reference evaluator on derived diagrams', () => {
    ready();
    for (const c of cases) {
      const r = derived[c.id];
      if (!r.ok) throw new Error(`${c.id}: the exported script failed:\n${r.error}`);
      const expected = referenceOf(c.subject, c.inputs);
      expect(r.shape, c.id).toEqual(expected.shape);
      expect(relativeError(r.data, expected.data), c.id).toBeLessThan(1e-10);
    }
  });
});
