import * as tf from '@tensorflow/tfjs-core';

/**
 * What the evaluation worker holds, for leak checks (the soak test, `npm run soak`):
 * tfjs's live tensors and their bytes, the WebGPU buffers in use and pooled, and the
 * worker's JavaScript heap where the browser reports it (Chromium's performance.memory).
 */
export interface WorkerMemory {
  backend: string;
  numTensors: number;
  numBytes: number;
  /** WebGPU only: buffers handed out / kept in tfjs's pool, and bytes allocated on the GPU. */
  gpuBuffersUsed?: number;
  gpuBuffersFree?: number;
  gpuBytesAllocated?: number;
  /** Bytes of the worker's JS heap in use, where the browser tells. */
  heapUsed?: number;
}

interface BufferManagerLike {
  getNumUsedBuffers(): number;
  getNumFreeBuffers(): number;
  numBytesAllocated: number;
}

export function workerMemory(): WorkerMemory {
  const mem = tf.memory();
  const out: WorkerMemory = {
    backend: tf.getBackend() ?? 'none',
    numTensors: mem.numTensors,
    numBytes: mem.numBytes,
  };
  const manager = (
    tf.getBackend() ? (tf.backend() as unknown as { bufferManager?: BufferManagerLike }) : {}
  ).bufferManager;
  if (manager) {
    out.gpuBuffersUsed = manager.getNumUsedBuffers();
    out.gpuBuffersFree = manager.getNumFreeBuffers();
    out.gpuBytesAllocated = manager.numBytesAllocated;
  }
  const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  if (heap) out.heapUsed = heap.usedJSHeapSize;
  return out;
}

/** Lets a test driver read the worker's memory (Playwright's worker.evaluate); nothing else uses it. */
export function exposeWorkerMemory(scope: object): void {
  (scope as { einsketchMemory?: () => WorkerMemory }).einsketchMemory = workerMemory;
}
