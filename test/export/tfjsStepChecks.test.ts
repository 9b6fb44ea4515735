import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramChecks, type DiagramCheck } from '../../src/core/check/diagramChecks.ts';
import { exportTfjs, subjectOfDiagram } from '../../src/core/export/index.ts';
import type { Step } from '../../src/core/notebook/index.ts';
import { checkedDerivation } from './checkedDerivation.ts';

/**
 * The step checks travel with an exported TF.js module: `checkSteps()` re-runs each step
 * of the derivation in float32 with tfjs (a rewrite by allclose, a VJP against tf.grad, a
 * JVP and a derivative against the gradient of a VJP), and `node module.mjs --check-steps`
 * exits with status 1 when one fails. Run with the project's tfjs-core on the CPU backend.
 */

const dir = fileURLToPath(
  new URL('../../node_modules/.cache/einsketch-tfjs-checks-test/', import.meta.url),
);
// tfjs-core with a backend and the gradients, also for the module run as a script in its
// own Node process. @tensorflow/tfjs registers the gradients itself; tfjs-core ships them
// only as extensionless ES modules that Node cannot load, so they are bundled once here
// (they register into tfjs's global registry, shared with the tfjs-core package).
const TF_SHIM = [
  "import './gradients.mjs';",
  "import '@tensorflow/tfjs-backend-cpu';",
  "export * from '@tensorflow/tfjs-core';",
  '',
].join('\n');

const cell = checkedDerivation;

interface CheckedModule {
  checkSteps(log?: (line: string) => void): {
    passed: boolean;
    steps: { step: number; label: string; ok: boolean; diff: number }[];
  };
  assertSteps(): void;
}

let count = 0;
function write(steps: Step[], tamper?: (c: DiagramCheck) => DiagramCheck): string {
  const checks = diagramChecks(cell(steps));
  const code = exportTfjs(subjectOfDiagram(cell(steps)), {
    tfModule: './tf.mjs',
    checks: tamper ? { ...checks, checks: checks.checks.map(tamper) } : checks,
  });
  const file = `${dir}checks-${++count}.mjs`;
  writeFileSync(file, code);
  return file;
}

async function load(file: string): Promise<CheckedModule> {
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as CheckedModule;
}

// The simplified network scaled by 2: a rewrite that does not keep the value.
const doubled = (c: DiagramCheck): DiagramCheck =>
  c.kind === 'rewrite'
    ? { ...c, after: c.after.map((t) => ({ ...t, coefficient: 2 * t.coefficient })) }
    : c;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [
      fileURLToPath(import.meta.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')),
    ],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: `${dir}gradients.mjs`,
    logLevel: 'error',
  });
  writeFileSync(`${dir}tf.mjs`, TF_SHIM);
  await import(/* @vite-ignore */ pathToFileURL(`${dir}tf.mjs`).href);
  await tf.setBackend('cpu');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the exported TF.js module re-runs the step checks', () => {
  it('passes every step of VJP, JVP and derivative derivations', async () => {
    const cases: [Step[], RegExp][] = [
      [[{ kind: 'vjp', source: 'weight' }, { kind: 'simplify' }], /VJP with respect to weight/],
      [[{ kind: 'jvp', source: 'x' }, { kind: 'simplify' }], /JVP with respect to x/],
      [[{ kind: 'derivative', source: 'weight' }, { kind: 'simplify' }], /derivative by weight/],
    ];
    for (const [steps, label] of cases) {
      const mod = await load(write(steps));
      const lines: string[] = [];
      const result = mod.checkSteps((line) => lines.push(line));
      expect(
        result.steps.map((s) => s.ok),
        lines.join('\n'),
      ).toEqual([true, true]);
      expect(result.passed).toBe(true);
      expect(lines[0]).toMatch(label);
      expect(lines[1]).toMatch(/^step 2, simplify: ok, largest difference/);
      // float32 rounding, far below a changed value.
      for (const s of result.steps) expect(s.diff).toBeLessThan(1e-3);
      expect(() => mod.assertSteps()).not.toThrow();
    }
  }, 60_000);

  it('fails on a derivative that is wrong (VJP, JVP and derivative)', async () => {
    // The derivative's terms scaled by 3: no longer what tf.grad computes.
    const wrong = (c: DiagramCheck): DiagramCheck =>
      c.kind === 'vjp' || c.kind === 'jvp' || c.kind === 'derivative'
        ? { ...c, terms: c.terms.map((t) => ({ ...t, coefficient: 3 * t.coefficient })) }
        : c;
    for (const step of [
      { kind: 'vjp', source: 'weight' },
      { kind: 'jvp', source: 'x' },
      { kind: 'derivative', source: 'weight' },
    ] as Step[]) {
      const mod = await load(write([step], wrong));
      const result = mod.checkSteps();
      expect(result.passed, step.kind).toBe(false);
      expect(result.steps[0].ok).toBe(false);
    }
  }, 60_000);

  it('fails on a rewrite that changes the value, and the script exits with status 1', async () => {
    const steps: Step[] = [{ kind: 'vjp', source: 'weight' }, { kind: 'simplify' }];
    const broken = write(steps, doubled);
    const mod = await load(broken);
    expect(mod.checkSteps().steps.map((s) => s.ok)).toEqual([true, false]);
    expect(() => mod.assertSteps()).toThrow(/step check failed: step 2, simplify/);

    const run = (file: string) =>
      spawnSync(process.execPath, [file, '--check-steps'], { encoding: 'utf8', timeout: 60_000 });
    const bad = run(broken);
    expect(bad.stderr).toMatch(/step 2, simplify: FAILED, largest difference/);
    expect(bad.status).toBe(1);
    const good = run(write(steps));
    expect(good.stderr).toMatch(/step 2, simplify: ok/);
    expect(good.status, good.stderr).toBe(0);
  }, 60_000);

  it('is left out of modules that were not given checks', () => {
    const code = exportTfjs(subjectOfDiagram(cell([{ kind: 'simplify' }])));
    expect(code).not.toContain('checkSteps');
    expect(code).not.toContain('--check-steps');
  });
});
