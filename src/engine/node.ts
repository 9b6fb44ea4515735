import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendChoice, type BackendName } from './backend.ts';
import { installNodeWebGPU } from './nodeWebgpu.ts';

/**
 * Node side of backend selection. tfjs-backend-wasm looks for its .wasm files next to the
 * script that loads it, which under tsx/vitest is not its dist/ directory: point it there.
 */
export function nodeWasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + sep;
}

/**
 * Selects a backend in Node (cpu unless `order` says otherwise) and silences tfjs's
 * "install tfjs-node" banner, which would otherwise go to the CLI's stderr on every run.
 */
export async function selectNodeBackend(
  order: readonly BackendName[] = ['cpu'],
): Promise<BackendChoice> {
  tf.env().set('PROD', true);
  if (order.includes('webgpu')) {
    const reason = await installNodeWebGPU();
    if (reason) {
      const rest = order.filter((b) => b !== 'webgpu');
      if (!rest.length) throw new Error(`no tfjs backend available: webgpu: ${reason}`);
      const choice = await selectBackend({ order: rest, wasmPaths: nodeWasmDirectory() });
      return { ...choice, fallbacks: [{ backend: 'webgpu', reason }, ...choice.fallbacks] };
    }
  }
  return selectBackend({ order, wasmPaths: nodeWasmDirectory() });
}

let nodeBackend: Promise<BackendChoice> | undefined;

/** The CLI's backend: tfjs-backend-cpu (float32), selected once per process. */
export function ensureNodeBackend(): Promise<BackendChoice> {
  nodeBackend ??= selectNodeBackend(['cpu']);
  return nodeBackend;
}
