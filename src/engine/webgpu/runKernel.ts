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
  runWebGPUProgram(
    program: WebGPUProgramLike,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: undefined,
    output?: tf.TensorInfo,
  ): tf.TensorInfo;
}

export function isWebGPUActive(): boolean {
  return tf.getBackend() === 'webgpu';
}

function webgpuBackend(): WebGPUBackendLike {
  const backend = tf.backend() as unknown as Partial<WebGPUBackendLike>;
  if (tf.getBackend() !== 'webgpu' || typeof backend.runWebGPUProgram !== 'function') {
    throw new Error(
      `engine: a generated WebGPU kernel cannot run on the ${tf.getBackend()} backend`,
    );
  }
  return backend as WebGPUBackendLike;
}

function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const s of shape) size *= s;
  return size;
}

// A fresh program object per call: runWebGPUProgram rewrites its key and dispatch.
function programOf(kernel: GeneratedKernel, size: number): WebGPUProgramLike {
  return {
    outputShape: [size],
    shaderKey: kernel.key,
    dispatchLayout: { x: [0] },
    dispatch: [...kernel.dispatch],
    workgroupSize: [...kernel.workgroupSize],
    variableNames: [...kernel.variableNames],
    size: true,
    getUserCode: () => kernel.source,
  };
}

// Inputs and result are handed over as flat views of their buffers, not as reshaped
// tensors: tfjs counts every tensor's bytes, so reshapes would count as copies in the
// measured memory although none is made.
const flatViews = (inputs: readonly tf.Tensor[]): tf.TensorInfo[] =>
  inputs.map((t) => ({ dataId: t.dataId, shape: [t.size], dtype: t.dtype }));

export function runGeneratedKernel(
  kernel: GeneratedKernel,
  inputs: readonly tf.Tensor[],
  outShape: readonly number[],
): tf.Tensor {
  const backend = webgpuBackend();
  const info = backend.runWebGPUProgram(
    programOf(kernel, sizeOfShape(outShape)),
    flatViews(inputs),
    'float32',
  );
  return tf.engine().makeTensorFromTensorInfo({ ...info, shape: [...outShape] }) as tf.Tensor;
}

const ZERO_FILL: GeneratedKernel = {
  kind: 'direct',
  source: 'fn main(index: i32) {\n  if (index < uniforms.size) { result[index] = 0.0; }\n}',
  workgroupSize: [64, 1, 1],
  dispatch: [1, 1, 1],
  variableNames: [],
  key: 'einsketch_zero_fill',
  macs: 0,
};

/**
 * The phases of a split kernel, each a dispatch writing its positions into one result
 * buffer (tfjs's `output` argument, as its split-K matrix product uses); the buffer is
 * zeroed first when some phase has no tap and so writes nothing.
 */
export function runPhasedKernels(
  phases: readonly GeneratedKernel[],
  zeroFill: boolean,
  inputs: readonly tf.Tensor[],
  outShape: readonly number[],
): tf.Tensor {
  const backend = webgpuBackend();
  const size = sizeOfShape(outShape);
  const flat = flatViews(inputs);
  let out: tf.TensorInfo | undefined;
  if (zeroFill)
    out = backend.runWebGPUProgram(
      { ...programOf(ZERO_FILL, size), dispatch: [Math.ceil(size / 64), 1, 1] },
      [],
      'float32',
    );
  for (const kernel of phases)
    out = backend.runWebGPUProgram(programOf(kernel, size), flat, 'float32', undefined, out);
  if (!out) throw new Error('engine: a phased kernel with no phase');
  return tf.engine().makeTensorFromTensorInfo({ ...out, shape: [...outShape] }) as tf.Tensor;
}
