import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from '../../core/random.ts';

/** Deterministic inputs in [−1, 1), so runs on any backend see the same values. */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const next = seededUniform(seed);
  for (let j = 0; j < size; j++) out[j] = next() * 2 - 1;
  return out;
}

export const elementsOf = (shape: readonly number[]): number => shape.reduce((p, q) => p * q, 1);

/** float32 bytes of a tensor of this shape. */
export const bytesOf = (shape: readonly number[]): number => elementsOf(shape) * 4;

/** Seeded host values for every input: input j (in the order given) uses seed + j. */
export function seededInputs(
  shapes: Record<string, readonly number[]>,
  seed = 1,
): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape], j) => [
      name,
      randomValues(elementsOf(shape), seed + j),
    ]),
  );
}

/** Uploads host values to the active backend as float32 tensors in PyTorch layout. */
export function uploadInputs(
  host: Record<string, ArrayLike<number>>,
  shapes: Record<string, readonly number[]>,
): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape]) => [
      name,
      tf.tensor(Float32Array.from(host[name]), [...shape], 'float32'),
    ]),
  );
}
