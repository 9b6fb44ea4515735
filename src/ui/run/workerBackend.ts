import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, type BackendName } from '../../engine/backend.ts';
import { selectBrowserBackend } from '../../engine/browser.ts';
import { BackendUnavailable, fallbackFor, GpuTrouble } from './failures.ts';

/**
 * Backend selection inside the worker, and a watch on the WebGPU device: tfjs neither
 * reports a lost device nor a failed allocation (WebGPU raises those as device events,
 * not exceptions), so the worker listens for them and the job's checkpoints throw.
 */

interface GpuErrorLike {
  message: string;
  constructor: { name: string };
}
interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message: string }>;
  addEventListener(
    type: 'uncapturederror',
    listener: (event: Event & { error: GpuErrorLike }) => void,
  ): void;
}

let trouble: GpuTrouble | undefined;
const watched = new WeakSet<object>();

function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GpuDeviceLike }).device;
  if (!device || watched.has(device)) return;
  watched.add(device);
  void device.lost.then((info) => {
    trouble ??= new GpuTrouble(
      'device-lost',
      `the GPU device was lost${info.reason ? ` (${info.reason})` : ''}: ${info.message || 'no detail given'}`,
    );
  });
  device.addEventListener('uncapturederror', (event) => {
    const err = event.error;
    if (err.constructor.name === 'GPUOutOfMemoryError') {
      trouble ??= new GpuTrouble(
        'out-of-memory',
        `the GPU ran out of memory: ${err.message || 'an allocation failed'}`,
      );
    } else {
      trouble ??= new GpuTrouble('gpu', `the GPU reported an error: ${err.message}`);
    }
  });
}

/** Throws the GPU failure seen since the last call, if any (then forgets it). */
export function takeGpuTrouble(): void {
  const t = trouble;
  if (!t) return;
  trouble = undefined;
  throw t;
}

export async function activateBackend(
  preferred: BackendName,
  allowFallback: boolean,
): Promise<{ name: BackendName; fallbackReason?: string }> {
  const order = allowFallback
    ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)]
    : [preferred];
  try {
    const choice = await selectBrowserBackend(order);
    if (choice.name === 'webgpu') watchDevice();
    const reasons = choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`);
    return reasons.length
      ? { name: choice.name, fallbackReason: reasons.join('; ') }
      : { name: choice.name };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const noAdapter = preferred === 'webgpu' && /adapter|navigator\.gpu/.test(text);
    const what = noAdapter
      ? 'WebGPU is not available here'
      : `the ${preferred} backend could not start`;
    throw new BackendUnavailable(
      `${what} (${text.replace(/^no tfjs backend available: /, '')})`,
      noAdapter,
      fallbackFor(preferred),
    );
  }
}
