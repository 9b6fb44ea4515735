import * as tf from '@tensorflow/tfjs-core';

/**
 * PyTorch's layouts ↔ the ones tfjs's convolutions take. Requests and the tensor network
 * use PyTorch's (x [N, C, *S], weight [C_out, C_in/G, *K]); tfjs wants channels last
 * (x [N, *S, C]) and filters [*K, C_in, C_out] (depthwise: [*K, C, multiplier]). The
 * built-ins convert with these inside their timing, as the network's transposes are.
 */

const range = (n: number) => Array.from({ length: n }, (_, j) => j);

/** [N, C, *S] → [N, *S, C]. */
export const toChannelsLast = (t: tf.Tensor): tf.Tensor =>
  tf.transpose(t, [0, ...range(t.rank - 2).map((d) => d + 2), 1]);

/** [N, *S, C] → [N, C, *S]. */
export const fromChannelsLast = (t: tf.Tensor): tf.Tensor =>
  tf.transpose(t, [0, t.rank - 1, ...range(t.rank - 2).map((d) => d + 1)]);

/** Weight [C_out, C_in/G, *K] → filter [*K, C_in/G, C_out]. */
export const toFilter = (w: tf.Tensor): tf.Tensor =>
  tf.transpose(w, [...range(w.rank - 2).map((d) => d + 2), 1, 0]);

/** Filter [*K, C_in/G, C_out] → weight [C_out, C_in/G, *K]. */
export const fromFilter = (f: tf.Tensor): tf.Tensor =>
  tf.transpose(f, [f.rank - 1, f.rank - 2, ...range(f.rank - 2)]);

/** Depthwise weight [C·m, 1, *K] → tfjs depthwise filter [*K, C, m]. */
export function toDepthwiseFilter(w: tf.Tensor, channels: number): tf.Tensor {
  const m = w.shape[0] / channels;
  const k = w.shape.slice(2);
  return tf.transpose(tf.reshape(w, [channels, m, ...k]), [
    ...range(k.length).map((d) => d + 2),
    0,
    1,
  ]);
}

/** tfjs depthwise filter [*K, C, m] → PyTorch weight [C·m, 1, *K]. */
export function fromDepthwiseFilter(f: tf.Tensor): tf.Tensor {
  const kd = f.rank - 2;
  const t = tf.transpose(f, [kd, kd + 1, ...range(kd)]);
  const shape = t.shape as number[];
  return tf.reshape(t, [shape[0] * shape[1], 1, ...shape.slice(2)]);
}
