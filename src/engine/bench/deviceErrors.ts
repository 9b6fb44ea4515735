import * as tf from '@tensorflow/tfjs-core';
import type { DeviceErrorScope } from './timing.ts';

/**
 * WebGPU error scopes (validation, out-of-memory) of the active tfjs backend's device, or
 * undefined off WebGPU. A kernel that fails validation does nothing and tfjs hands back a
 * stale buffer, so without these a failure could be timed and "agree" with the other side.
 */
export function webgpuErrorScope(): DeviceErrorScope | undefined {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device || typeof device.pushErrorScope !== 'function') return undefined;
  return {
    begin() {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
    },
    async end() {
      const validation = await device.popErrorScope();
      const memory = await device.popErrorScope();
      return validation?.message ?? memory?.message;
    },
  };
}
