import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { selectNodeBackend } from '../../src/engine/node.ts';

/**
 * Switches this test file's tfjs to WebGPU on Dawn. Where Debian's chromium (and with it
 * SwiftShader's Vulkan driver) is installed — as in CI — a missing adapter fails the test
 * rather than skipping it.
 */
export async function useNodeWebGPU(): Promise<void> {
  const choice = await selectNodeBackend(['webgpu', 'cpu']);
  if (choice.name !== 'webgpu') {
    const why = choice.fallbacks.map((f) => f.reason).join('; ');
    if (existsSync('/usr/lib/chromium/vk_swiftshader_icd.json'))
      throw new Error(`WebGPU in Node unavailable: ${why}`);
    throw new Error(
      `WebGPU in Node unavailable (install Debian's chromium for SwiftShader): ${why}`,
    );
  }
  tf.env().set('WEBGPU_CPU_FORWARD', false);
}

interface DeviceLike {
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/**
 * Runs `fn` inside WebGPU validation and internal error scopes: a shader the device
 * refuses would otherwise leave tfjs handing back a stale buffer that can look right.
 */
export async function withDeviceErrors<T>(fn: () => Promise<T>): Promise<T> {
  const device = (tf.backend() as unknown as { device: DeviceLike }).device;
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  let value: T | undefined;
  let failure: unknown;
  try {
    value = await fn();
  } catch (err) {
    failure = err;
  }
  const internal = await device.popErrorScope();
  const validation = await device.popErrorScope();
  const deviceError = validation ?? internal;
  if (deviceError) throw new Error(`WebGPU error: ${deviceError.message}`);
  if (failure !== undefined) throw failure;
  return value as T;
}
