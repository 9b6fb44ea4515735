import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../core/layer.ts';
import {
  fromChannelsLast,
  fromDepthwiseFilter,
  fromFilter,
  toChannelsLast,
  toDepthwiseFilter,
  toFilter,
} from './tfjsLayout.ts';
import type { BuiltinChoice } from './builtin.ts';
import {
  geometryOf,
  lift1d,
  addHeight,
  dropHeight,
  explicitPad2d,
  isSame,
  isValid,
  isDepthwise,
  perGroup,
} from './builtinGeometry.ts';

// The convolution's built-ins: forward (also the JVPs), input VJP, weight VJP.

export function forward(layer: LayerConfig): BuiltinChoice {
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

export function inputVjp(layer: LayerConfig): BuiltinChoice {
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

export function weightVjp(layer: LayerConfig): BuiltinChoice {
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
