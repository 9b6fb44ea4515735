import * as tf from '@tensorflow/tfjs-core';
import type { GeneratedKernel } from './generatedKernel.ts';

/**
 * Runs a generated kernel through tfjs-backend-webgpu's custom-program path, so its result
 * is an ordinary tfjs tensor on the same device as the built-in ops (one timing method for
 * both). Inputs and output are bound flat: the kernel does its own index arithmetic, and
 * tfjs's shape helpers stop at rank 6.
 */

interface WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  size: boolean;
  getUserCode(): string;
}

interface WebGPUBackendLike {
  runWebGPUProgram(program: WebGPUProgramLike, inputs: tf.TensorInfo[], outputDtype: tf.DataType): tf.TensorInfo;
}

export function isWebGPUActive(): boolean {
  return tf.getBackend() === 'webgpu';
}

export function runGeneratedKernel(kernel: GeneratedKernel, inputs: readonly tf.Tensor[], outShape: readonly number[]): tf.Tensor {
  const backend = tf.backend() as unknown as Partial<WebGPUBackendLike>;
  if (tf.getBackend() !== 'webgpu' || typeof backend.runWebGPUProgram !== 'function') {
    throw new Error(`engine: a generated WebGPU kernel cannot run on the ${tf.getBackend()} backend`);
  }
  let size = 1;
  for (const s of outShape) size *= s;
  // Inputs and result are handed over as flat views of their buffers, not as reshaped
  // tensors: tfjs counts every tensor's bytes, so reshapes would count as copies in the
  // measured memory although none is made.
  const flat: tf.TensorInfo[] = inputs.map((t) => ({ dataId: t.dataId, shape: [t.size], dtype: t.dtype }));
  // A fresh program object per call: runWebGPUProgram rewrites its key and dispatch.
  const program: WebGPUProgramLike = {
    outputShape: [size],
    shaderKey: kernel.key,
    dispatchLayout: { x: [0] },
    dispatch: [...kernel.dispatch],
    workgroupSize: [...kernel.workgroupSize],
    variableNames: [...kernel.variableNames],
    size: true,
    getUserCode: () => kernel.source,
  };
  const info = backend.runWebGPUProgram!(program, flat, 'float32');
  return tf.engine().makeTensorFromTensorInfo({ ...info, shape: [...outShape] }) as tf.Tensor;
}
