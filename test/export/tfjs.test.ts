import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTfjs, subjectOfNetwork } from '../../src/core/export/index.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';
import { derivedCases, referenceOf } from './derived.ts';

/**
 * The exported TensorFlow.js modules, imported as they are (float32, tfjs-core with the CPU
 * backend), on every fixture case and on the derived diagrams.
 */

// Inside the project so that '@tensorflow/tfjs-core' resolves from node_modules.
const dir = fileURLToPath(
  new URL('../../node_modules/.cache/einsketch-export-test/', import.meta.url),
);
const fixtures = loadFixtures();

interface ExportedModule {
  contract(inputs: Record<string, tf.Tensor>): tf.Tensor;
  loadInputs(spec: unknown): Record<string, tf.Tensor>;
  randomInputs(seed?: number): Record<string, tf.Tensor>;
  INPUT_SHAPES: Record<string, number[]>;
}

async function load(id: string, code: string): Promise<ExportedModule> {
  const file = `${dir}${id}.mjs`;
  writeFileSync(file, code);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ExportedModule;
}

async function run(
  mod: ExportedModule,
  inputs: Record<string, tf.Tensor>,
): Promise<{ shape: number[]; data: number[] }> {
  const result = mod.contract(inputs);
  const out = { shape: result.shape, data: Array.from(await result.data()) };
  result.dispose();
  Object.values(inputs).forEach((t) => t.dispose());
  return out;
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await tf.setBackend('cpu');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exported TensorFlow.js code', () => {
  it.each(fixtures.map((c) => [c.id, c] as const))(
    '%s gives the fixture’s result',
    async (id, c) => {
      const code = exportTfjs(subjectOfNetwork(prepareRequest(c.request).network, { title: id }), {
        tfModule: '@tensorflow/tfjs-core',
      });
      const mod = await load(id, code);
      const out = await run(mod, mod.loadInputs(c.request));
      expect(out.shape).toEqual(c.expected.shape);
      expect(relativeError(out.data, c.expected.data)).toBeLessThan(2e-5);
    },
  );

  it('matches the reference evaluator on derived diagrams', async () => {
    for (const c of derivedCases()) {
      const mod = await load(
        `derived-${c.id}`,
        exportTfjs(c.subject, { tfModule: '@tensorflow/tfjs-core' }),
      );
      const out = await run(mod, mod.loadInputs(c.json));
      const expected = referenceOf(c.subject, c.inputs);
      expect(out.shape, c.id).toEqual(expected.shape);
      expect(relativeError(out.data, expected.data), c.id).toBeLessThan(2e-5);
    }
  });

  it('runs as it is with Node', () => {
    const c = fixtures.find((f) => f.request.op === 'conv_transpose_forward')!;
    writeFileSync(
      `${dir}shell.mjs`,
      exportTfjs(subjectOfNetwork(prepareRequest(c.request).network), {
        tfModule: '@tensorflow/tfjs-core',
      }),
    );
    writeFileSync(`${dir}inputs.json`, JSON.stringify(c.request));
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const run = spawnSync(
      process.execPath,
      ['--import', '@tensorflow/tfjs-backend-cpu', `${dir}shell.mjs`, `${dir}inputs.json`],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(
      run.stdout
        .trim()
        .split('\n')
        .find((l) => l.startsWith('{'))!,
    );
    expect(out.shape).toEqual(c.expected.shape);
    expect(relativeError(out.data, c.expected.data)).toBeLessThan(2e-5);
  });

  it('uses no tf.einsum and leaks no tensors', async () => {
    const c = fixtures.find((f) => f.request.op === 'kfc')!;
    const code = exportTfjs(subjectOfNetwork(prepareRequest(c.request).network), {
      tfModule: '@tensorflow/tfjs-core',
    });
    expect(code).not.toMatch(/tf\.einsum\(/);
    expect(code).toContain('tf.matMul');
    const mod = await load('leak-check', code);
    const inputs = mod.randomInputs(1);
    const before = tf.memory().numTensors;
    const result = mod.contract(inputs);
    expect(tf.memory().numTensors).toBe(before + 1);
    result.dispose();
    Object.values(inputs).forEach((t) => t.dispose());
  });
});
