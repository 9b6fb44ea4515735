import * as tf from '@tensorflow/tfjs-core';
import { perDimension, resolvePadding } from '../../core/hyper.ts';
import type { PaddingSpec } from '../../core/indexPattern.ts';
import { layerOutputSize, type LayerConfig } from '../../core/layer.ts';

/** A layer's sizes as the built-ins need them, and the helpers they share. */

export interface Geometry {
  dims: number;
  n: number;
  cIn: number;
  cOut: number;
  groups: number;
  input: number[];
  output: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: [number, number][];
}

export function geometryOf(layer: LayerConfig): Geometry {
  const dims = layer.input.length;
  const kernel = perDimension(layer.kernel, dims, 'kernel', 1);
  const stride = perDimension(layer.stride, dims, 'stride', 1);
  const dilation = perDimension(layer.dilation, dims, 'dilation', 1);
  return {
    dims,
    n: layer.batch,
    cIn: layer.inChannels,
    cOut: layer.outChannels,
    groups: layer.groups,
    input: [...layer.input],
    output: layerOutputSize(layer),
    kernel,
    stride,
    dilation,
    padding: resolvePadding(layer.padding as PaddingSpec, kernel, stride, dilation),
  };
}

export const range = (n: number) => Array.from({ length: n }, (_, j) => j);
export const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** A 1-d layer as a 2-d one of height 1 (what tf.conv1d does internally). */
export function lift1d(g: Geometry): Geometry {
  if (g.dims !== 1) return g;
  return {
    ...g,
    dims: 2,
    input: [1, ...g.input],
    output: [1, ...g.output],
    kernel: [1, ...g.kernel],
    stride: [1, ...g.stride],
    dilation: [1, ...g.dilation],
    padding: [[0, 0], ...g.padding],
  };
}

/** Adds a height-1 axis to a channels-last 1-d tensor or filter, and removes it. */
export const addHeight = (t: tf.Tensor, axis: number) => tf.expandDims(t, axis);
export const dropHeight = (t: tf.Tensor, axis: number) => tf.squeeze(t, [axis]);

export function explicitPad2d(
  g: Geometry,
): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], g.padding[0], g.padding[1], [0, 0]];
}

/** tfjs 'same' (stride 1) pads D(K−1) with the smaller half first, like PyTorch. */
export function isSame(g: Geometry): boolean {
  return (
    g.stride.every((s) => s === 1) &&
    g.padding.every(([l, r], d) => {
      const total = g.dilation[d] * (g.kernel[d] - 1);
      return l === Math.floor(total / 2) && r === total - l;
    })
  );
}
export const isValid = (g: Geometry) => g.padding.every(([l, r]) => l === 0 && r === 0);

export function isDepthwise(g: Geometry): boolean {
  return g.groups > 1 && g.groups === g.cIn && g.cOut % g.cIn === 0;
}

/** Applies `f` group by group (split along the channel axis), concatenating the results. */
export function perGroup(
  groups: number,
  parts: [tf.Tensor, number][],
  axisOut: number,
  f: (...ts: tf.Tensor[]) => tf.Tensor,
): tf.Tensor {
  if (groups === 1) return f(...parts.map(([t]) => t));
  const split = parts.map(([t, axis]) => tf.split(t, groups, axis));
  return tf.concat(
    range(groups).map((j) => f(...split.map((s) => s[j]))),
    axisOut,
  );
}
