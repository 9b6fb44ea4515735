import * as tf from '@tensorflow/tfjs-core';
import { perDimension, resolvePadding } from '../../core/hyper.ts';
import type { PaddingSpec } from '../../core/indexPattern.ts';
import { layerOutputSize, type LayerConfig } from '../../core/layer.ts';
import type { OpName } from '../../core/ops/index.ts';
import {
  fromChannelsLast,
  fromDepthwiseFilter,
  fromFilter,
  toChannelsLast,
  toDepthwiseFilter,
  toFilter,
} from './tfjsLayout.ts';

/**
 * The built-in way to compute each operation with tfjs, on the same backend as the engine:
 * what a tfjs user would write, keyed by the core's op names. Each built-in goes from the
 * inputs in PyTorch layout (NCHW, weight [C_out, C_in/G, *K]) to the result in PyTorch
 * layout, converting to and from the layouts its ops want (channels last, filters
 * [*K, C_in, C_out]) as part of the timed computation: the tensor network is timed from
 * the same inputs to the same result, its transposes included. Where tfjs has no op for a
 * case the choice says why and the comparison is skipped.
 *
 * - conv_forward: tf.conv1d/conv2d/conv3d; groups = channels → tf.depthwiseConv2d; other
 *   groups → split into groups, one conv each, concat (tfjs has no grouped convolution).
 * - conv_input_jvp / conv_weight_jvp: the forward built-in on the tangent (both are linear
 *   in the input they differentiate).
 * - conv_input_vjp: tf.conv2dTranspose / conv3dTranspose, and the explicit backprop kernel
 *   DepthwiseConv2dNativeBackpropInput for depthwise layers (runKernel; tfjs exports no op).
 * - conv_weight_vjp: the backprop kernels Conv2DBackpropFilter,
 *   DepthwiseConv2dNativeBackpropFilter, Conv3DBackpropFilterV2 through runKernel (what
 *   tf.grad would call, without also running the forward pass).
 * - kfc / kfac_reduce: unfold (im2col) then matMul. tfjs has no unfold / extractPatches, so
 *   the unfold is built by slicing: pad once, one strided slice per kernel tap, tf.stack.
 *   (A convolution with a one-hot identity kernel would also unfold, but costs C·∏K more
 *   multiply-adds for the generic case.) Features come out ordered (k, c) like tfjs's own
 *   filters and are reordered to PyTorch's (c, k).
 * 1-d convolutions are run as 2-d ones of height 1, which is what tf.conv1d does itself.
 */

export interface Builtin {
  /** e.g. 'tf.conv2d', 'tf.depthwiseConv2d', 'unfold(slices)+tf.matMul'. */
  name: string;
  /** PyTorch-layout inputs (the op's names: x, weight, v) → the tensors its ops take. */
  toLayout(inputs: Record<string, tf.Tensor>): tf.Tensor[];
  /** The computation proper, in tfjs's layouts. */
  compute(prepared: tf.Tensor[]): tf.Tensor;
  /** Its result → PyTorch layout (the network's result shape). */
  toTorch(result: tf.Tensor): tf.Tensor;
  /**
   * Bytes it holds at its peak besides its inputs (an estimate from the layer's shapes,
   * for the memory budget): tf.tidy keeps every intermediate of a stage until the stage ends.
   */
  estimatedBytes?: number;
}

export type BuiltinChoice = { builtin: Builtin } | { skip: string };

interface Geometry {
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

function geometryOf(layer: LayerConfig): Geometry {
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

const range = (n: number) => Array.from({ length: n }, (_, j) => j);
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** A 1-d layer as a 2-d one of height 1 (what tf.conv1d does internally). */
function lift1d(g: Geometry): Geometry {
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
const addHeight = (t: tf.Tensor, axis: number) => tf.expandDims(t, axis);
const dropHeight = (t: tf.Tensor, axis: number) => tf.squeeze(t, [axis]);

function explicitPad2d(
  g: Geometry,
): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], g.padding[0], g.padding[1], [0, 0]];
}

/** tfjs 'same' (stride 1) pads D(K−1) with the smaller half first, like PyTorch. */
function isSame(g: Geometry): boolean {
  return (
    g.stride.every((s) => s === 1) &&
    g.padding.every(([l, r], d) => {
      const total = g.dilation[d] * (g.kernel[d] - 1);
      return l === Math.floor(total / 2) && r === total - l;
    })
  );
}
const isValid = (g: Geometry) => g.padding.every(([l, r]) => l === 0 && r === 0);

function isDepthwise(g: Geometry): boolean {
  return g.groups > 1 && g.groups === g.cIn && g.cOut % g.cIn === 0;
}

/** Applies `f` group by group (split along the channel axis), concatenating the results. */
function perGroup(
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

function forward(layer: LayerConfig): BuiltinChoice {
  const g0 = geometryOf(layer);
  if (g0.dims > 3) return { skip: `tfjs has no ${g0.dims}-d convolution` };
  if (g0.stride.some((s) => s > 1) && g0.dilation.some((d) => d > 1)) {
    return { skip: 'tfjs convolutions take either strides or dilations > 1, not both' };
  }
  if (g0.dims === 3) {
    if (g0.groups > 1) return { skip: 'tfjs has no grouped or depthwise 3-d convolution' };
    const same = isSame(g0);
    return {
      builtin: {
        name: same || isValid(g0) ? 'tf.conv3d' : 'tf.pad+tf.conv3d',
        toLayout: (t) => [toChannelsLast(t.x), toFilter(t.weight)],
        compute: ([x, f]) => {
          if (same)
            return tf.conv3d(
              x as tf.Tensor5D,
              f as tf.Tensor5D,
              g0.stride as [number, number, number],
              'same',
              'NDHWC',
              g0.dilation as [number, number, number],
            );
          const xp = isValid(g0) ? x : tf.pad(x, [[0, 0], ...g0.padding, [0, 0]]);
          return tf.conv3d(
            xp as tf.Tensor5D,
            f as tf.Tensor5D,
            g0.stride as [number, number, number],
            'valid',
            'NDHWC',
            g0.dilation as [number, number, number],
          );
        },
        toTorch: fromChannelsLast,
      },
    };
  }
  const oneD = g0.dims === 1;
  const g = lift1d(g0);
  const pad = explicitPad2d(g);
  const strides = g.stride as [number, number];
  const dilations = g.dilation as [number, number];
  const lift = (x: tf.Tensor, f: tf.Tensor): [tf.Tensor, tf.Tensor] =>
    oneD ? [addHeight(x, 1), addHeight(f, 0)] : [x, f];
  if (isDepthwise(g)) {
    return {
      builtin: {
        name: 'tf.depthwiseConv2d',
        toLayout: (t) => lift(toChannelsLast(t.x), toDepthwiseFilter(t.weight, g0.cIn)),
        compute: ([x, f]) =>
          tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, pad, 'NHWC', dilations),
        toTorch: (y) => fromChannelsLast(oneD ? dropHeight(y, 1) : y),
      },
    };
  }
  return {
    builtin: {
      name:
        g.groups > 1
          ? `tf.conv2d×${g.groups} groups (split/concat)`
          : oneD
            ? 'tf.conv1d'
            : 'tf.conv2d',
      toLayout: (t) => lift(toChannelsLast(t.x), toFilter(t.weight)),
      compute: ([x, f]) =>
        perGroup(
          g.groups,
          [
            [x, 3],
            [f, 3],
          ],
          3,
          (xg, fg) =>
            tf.conv2d(xg as tf.Tensor4D, fg as tf.Tensor4D, strides, pad, 'NHWC', dilations),
        ),
      toTorch: (y) => fromChannelsLast(oneD ? dropHeight(y, 1) : y),
    },
  };
}

function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor {
  return tf
    .engine()
    .runKernel(
      name,
      inputs as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
}

function inputVjp(layer: LayerConfig): BuiltinChoice {
  const g0 = geometryOf(layer);
  if (g0.dims > 3) return { skip: `tfjs has no ${g0.dims}-d convolution` };
  if (g0.dims === 3) {
    if (g0.groups > 1) return { skip: 'tfjs has no grouped 3-d convolution' };
    if (g0.dilation.some((d) => d > 1)) return { skip: 'tfjs conv3dTranspose takes no dilation' };
    // conv3dTranspose pads only 'valid'/'same': compute the padded input's gradient, then crop.
    const same = isSame(g0);
    const padded = g0.input.map((s, d) => s + g0.padding[d][0] + g0.padding[d][1]);
    return {
      builtin: {
        name: same ? 'tf.conv3dTranspose' : 'tf.conv3dTranspose+crop',
        toLayout: (t) => [toChannelsLast(t.v), toFilter(t.weight)],
        compute: ([v, f]) => {
          if (same) {
            return tf.conv3dTranspose(
              v as tf.Tensor5D,
              f as tf.Tensor5D,
              [g0.n, ...g0.input, g0.cIn] as [number, number, number, number, number],
              g0.stride as [number, number, number],
              'same',
            );
          }
          const full = tf.conv3dTranspose(
            v as tf.Tensor5D,
            f as tf.Tensor5D,
            [g0.n, ...padded, g0.cIn] as [number, number, number, number, number],
            g0.stride as [number, number, number],
            'valid',
          );
          return tf.slice(full, [0, ...g0.padding.map(([l]) => l), 0], [g0.n, ...g0.input, g0.cIn]);
        },
        toTorch: fromChannelsLast,
      },
    };
  }
  const oneD = g0.dims === 1;
  const g = lift1d(g0);
  const pad = explicitPad2d(g);
  const strides = g.stride as [number, number];
  const lift = (v: tf.Tensor, f: tf.Tensor): [tf.Tensor, tf.Tensor] =>
    oneD ? [addHeight(v, 1), addHeight(f, 0)] : [v, f];
  const toTorch = (y: tf.Tensor) => fromChannelsLast(oneD ? dropHeight(y, 1) : y);
  if (isDepthwise(g)) {
    return {
      builtin: {
        name: 'DepthwiseConv2dNativeBackpropInput',
        toLayout: (t) => lift(toChannelsLast(t.v), toDepthwiseFilter(t.weight, g0.cIn)),
        compute: ([dy, filter]) =>
          runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter },
            { strides, pad, dilations: g.dilation, inputShape: [g.n, ...g.input, g.cIn] },
          ),
        toTorch,
      },
    };
  }
  if (g.dilation.some((d) => d > 1)) {
    return {
      skip: 'tfjs conv2dTranspose / Conv2DBackpropInput take no dilation (and tf.grad of a dilated conv2d refuses)',
    };
  }
  const cInG = g.cIn / g.groups;
  return {
    builtin: {
      name:
        g.groups > 1
          ? `tf.conv2dTranspose×${g.groups} groups (split/concat)`
          : 'tf.conv2dTranspose',
      toLayout: (t) => lift(toChannelsLast(t.v), toFilter(t.weight)),
      compute: ([v, f]) =>
        perGroup(
          g.groups,
          [
            [v, 3],
            [f, 3],
          ],
          3,
          (vg, fg) =>
            tf.conv2dTranspose(
              vg as tf.Tensor4D,
              fg as tf.Tensor4D,
              [g.n, g.input[0], g.input[1], cInG],
              strides,
              pad,
            ),
        ),
      toTorch,
    },
  };
}

function weightVjp(layer: LayerConfig): BuiltinChoice {
  const g0 = geometryOf(layer);
  if (g0.dims > 3) return { skip: `tfjs has no ${g0.dims}-d convolution` };
  if (g0.dims === 3) {
    if (g0.groups > 1) return { skip: 'tfjs has no grouped 3-d convolution' };
    if (g0.dilation.some((d) => d > 1))
      return { skip: 'tfjs Conv3DBackpropFilterV2 takes no dilation' };
    const same = isSame(g0);
    const filterShape = [...g0.kernel, g0.cIn, g0.cOut];
    return {
      builtin: {
        name: same || isValid(g0) ? 'Conv3DBackpropFilterV2' : 'tf.pad+Conv3DBackpropFilterV2',
        toLayout: (t) => [toChannelsLast(t.x), toChannelsLast(t.v)],
        compute: ([x, dy]) => {
          const xp = same || isValid(g0) ? x : tf.pad(x, [[0, 0], ...g0.padding, [0, 0]]);
          return runKernel(
            'Conv3DBackpropFilterV2',
            { x: xp, dy },
            { strides: g0.stride, pad: same ? 'same' : 'valid', filterShape },
          );
        },
        toTorch: fromFilter,
      },
    };
  }
  const oneD = g0.dims === 1;
  const g = lift1d(g0);
  const pad = explicitPad2d(g);
  const lift = (x: tf.Tensor, dy: tf.Tensor): [tf.Tensor, tf.Tensor] =>
    oneD ? [addHeight(x, 1), addHeight(dy, 1)] : [x, dy];
  if (isDepthwise(g)) {
    const m = g.cOut / g.cIn;
    return {
      builtin: {
        name: 'DepthwiseConv2dNativeBackpropFilter',
        toLayout: (t) => lift(toChannelsLast(t.x), toChannelsLast(t.v)),
        compute: ([x, dy]) =>
          runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x, dy },
            { strides: g.stride, pad, dilations: g.dilation, filterShape: [...g.kernel, g.cIn, m] },
          ),
        toTorch: (f) => fromDepthwiseFilter(oneD ? dropHeight(f, 0) : f),
      },
    };
  }
  if (g.dilation.some((d) => d > 1)) {
    return {
      skip: 'tfjs Conv2DBackpropFilter takes no dilation (and tf.grad of a dilated conv2d refuses)',
    };
  }
  const cInG = g.cIn / g.groups;
  const cOutG = g.cOut / g.groups;
  return {
    builtin: {
      name:
        g.groups > 1
          ? `Conv2DBackpropFilter×${g.groups} groups (split/concat)`
          : 'Conv2DBackpropFilter',
      toLayout: (t) => lift(toChannelsLast(t.x), toChannelsLast(t.v)),
      compute: ([x, dy]) =>
        perGroup(
          g.groups,
          [
            [x, 3],
            [dy, 3],
          ],
          3,
          (xg, dyg) =>
            runKernel(
              'Conv2DBackpropFilter',
              { x: xg, dy: dyg },
              {
                strides: g.stride,
                pad,
                dataFormat: 'NHWC',
                filterShape: [...g.kernel, cInG, cOutG],
              },
            ),
        ),
      toTorch: (f) => fromFilter(oneD ? dropHeight(f, 0) : f),
    },
  };
}

/**
 * im2col by slicing: x [N, *S, C] → [N, *O, ∏K, C]: pad once, then for each kernel tap
 * the strided slice of the positions it reads, stacked along a new tap axis.
 */
export function unfoldBySlicing(
  x: tf.Tensor,
  g: Pick<Geometry, 'kernel' | 'stride' | 'dilation' | 'padding' | 'output'>,
): tf.Tensor {
  const dims = g.kernel.length;
  const padded = g.padding.some(([l, r]) => l || r) ? tf.pad(x, [[0, 0], ...g.padding, [0, 0]]) : x;
  const taps: tf.Tensor[] = [];
  const counter = new Array<number>(dims).fill(0);
  const c = x.shape[x.rank - 1];
  for (let t = 0; t < prod(g.kernel); t++) {
    const begin = [0, ...counter.map((k, d) => k * g.dilation[d]), 0];
    const end = [
      x.shape[0],
      ...counter.map((k, d) => k * g.dilation[d] + (g.output[d] - 1) * g.stride[d] + 1),
      c,
    ];
    taps.push(tf.stridedSlice(padded, begin, end, [1, ...g.stride, 1]));
    for (let d = dims - 1; d >= 0; d--) {
      if (++counter[d] < g.kernel[d]) break;
      counter[d] = 0;
    }
  }
  return tf.stack(taps, dims + 1);
}

function kroneckerFactor(layer: LayerConfig, reduce: boolean): BuiltinChoice {
  const g = geometryOf(layer);
  const k = prod(g.kernel);
  const o = prod(g.output);
  const cG = g.cIn / g.groups;
  return {
    builtin: {
      name: reduce ? 'unfold(slices)+sum_o+tf.matMul' : 'unfold(slices)+tf.matMul',
      toLayout: (t) => [toChannelsLast(t.x)],
      compute: ([x]) => {
        const u = unfoldBySlicing(x, g); // [N, *O, K, C]
        let rows: tf.Tensor;
        if (reduce) {
          // Σ over output positions first: [N, K, G, Cg].
          rows = tf.sum(tf.reshape(u, [g.n, o, k, g.groups, cG]), 1);
        } else {
          rows = tf.reshape(u, [g.n * o, k, g.groups, cG]);
        }
        const r = rows.shape[0];
        // Groups become the batch of the product: [G, rows, K·Cg].
        const perGroupRows = g.groups > 1 ? tf.transpose(rows, [2, 0, 1, 3]) : rows;
        const m = tf.reshape(perGroupRows, [g.groups, r, k * cG]);
        const scale = reduce ? 1 / (g.n * o * o) : 1 / g.n;
        return tf.mul(tf.matMul(m, m, true, false), tf.scalar(scale));
      },
      // (k, c) feature order → PyTorch's (c, k).
      toTorch: (f) =>
        tf.reshape(tf.transpose(tf.reshape(f, [g.groups, k, cG, k, cG]), [0, 2, 1, 4, 3]), [
          g.groups,
          cG * k,
          cG * k,
        ]),
    },
  };
}

/**
 * What the built-in of `op` holds at its peak, in float32 bytes: the layout copies of its
 * inputs and its result twice (tfjs layout, then PyTorch's), the per-group splits of a grouped
 * layer; for the Kronecker factors the channels-last and padded input, the kernel-tap slices,
 * their stack (the unfolded input) and the copy the product reads, and a transposed copy when
 * the layer has groups.
 */
export function estimateBuiltinBytes(op: OpName, layer: LayerConfig): number {
  const g = geometryOf(layer);
  const x = g.n * g.cIn * prod(g.input);
  const w = g.cOut * (g.cIn / g.groups) * prod(g.kernel);
  const y = g.n * g.cOut * prod(g.output);
  const padded = g.n * g.cIn * prod(g.input.map((s, d) => s + g.padding[d][0] + g.padding[d][1]));
  const unfolded = g.n * prod(g.output) * prod(g.kernel) * g.cIn;
  const factor = g.groups * ((g.cIn / g.groups) * prod(g.kernel)) ** 2;
  // Grouped (not depthwise) layers are split into groups and their results concatenated.
  const split = g.groups > 1 && !isDepthwise(g) ? x + w + y : 0;
  const entries = ((): number => {
    switch (op) {
      case 'conv_forward':
      case 'conv_input_jvp':
      case 'conv_weight_jvp':
        return x + w + 2 * y + split;
      case 'conv_input_vjp':
        return y + w + 2 * x + split;
      case 'conv_weight_vjp':
        return x + y + 2 * w + split;
      case 'kfc':
        return x + padded + (g.groups > 1 ? 4 : 3) * unfolded + 2 * factor;
      case 'kfac_reduce':
        return x + padded + 2 * unfolded + (unfolded / prod(g.output)) * (g.groups > 1 ? 3 : 2) + 2 * factor;
      default:
        return 0;
    }
  })();
  return 4 * entries;
}

/** Each stage in tf.tidy, so intermediates (splits, pads, slices) are freed. */
function tidied(b: Builtin, name = b.name): Builtin {
  return {
    name,
    estimatedBytes: b.estimatedBytes,
    toLayout: (inputs) => tf.tidy(() => b.toLayout(inputs)),
    compute: (prepared) => tf.tidy(() => b.compute(prepared)),
    toTorch: (result) => tf.tidy(() => b.toTorch(result)),
  };
}

/** The built-in's whole timed computation: PyTorch-layout inputs to PyTorch-layout result. */
export function runBuiltin(b: Builtin, inputs: Record<string, tf.Tensor>): tf.Tensor {
  return tf.tidy(() => b.toTorch(b.compute(b.toLayout(inputs))));
}

/** The forward built-in reading a JVP's tangent in place of the input it differentiates. */
function onTangent(
  choice: BuiltinChoice,
  rename: (t: Record<string, tf.Tensor>) => Record<string, tf.Tensor>,
  how: string,
): BuiltinChoice {
  if ('skip' in choice) return choice;
  const b = choice.builtin;
  return { builtin: { ...b, name: `${b.name} ${how}`, toLayout: (t) => b.toLayout(rename(t)) } };
}

/** The built-in implementation of the core op `op` on this layer, or why tfjs has none. */
export function builtinFor(op: OpName, layer: LayerConfig): BuiltinChoice {
  const choice = ((): BuiltinChoice => {
    switch (op) {
      case 'conv_forward':
        return forward(layer);
      case 'conv_input_jvp':
        return onTangent(
          forward(layer),
          (t) => ({ x: t.v, weight: t.weight }),
          'on the input tangent',
        );
      case 'conv_weight_jvp':
        return onTangent(
          forward(layer),
          (t) => ({ x: t.x, weight: t.v }),
          'with the weight tangent',
        );
      case 'conv_input_vjp':
        return inputVjp(layer);
      case 'conv_weight_vjp':
        return weightVjp(layer);
      case 'kfc':
        return kroneckerFactor(layer, false);
      case 'kfac_reduce':
        return kroneckerFactor(layer, true);
      default:
        return { skip: `tfjs has no built-in for ${op}` };
    }
  })();
  if ('skip' in choice) return choice;
  return { builtin: tidied({ ...choice.builtin, estimatedBytes: estimateBuiltinBytes(op, layer) }) };
}
