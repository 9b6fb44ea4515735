import { fail } from './errors.ts';
import { perDimension, resolvePadding, makePatterns } from './hyper.ts';
import type { PaddingSpec } from './indexPattern.ts';
import type { Network } from './network.ts';
import { getOperation, type OpInput, type OpName } from './ops/index.ts';

/**
 * A convolution layer described the way people think of it (channels, input size, kernel,
 * stride, …), turned into the inputs any operation of the library takes. Presets, the
 * editor's hyper-parameter form, the benchmarks and tutorials all start from one.
 */
export interface LayerConfig {
  batch: number;
  inChannels: number;
  outChannels: number;
  /** Spatial input size, one entry per dimension. */
  input: number[];
  kernel: number[];
  stride: number[];
  padding: number[] | 'same' | 'valid';
  dilation: number[];
  groups: number;
  /** Only read by the transpose-convolution operations. */
  outputPadding: number[];
}

/** Output size of the layer's convolution (throws a one-line error if it does not fit). */
export function layerOutputSize(layer: LayerConfig): number[] {
  const dims = layer.input.length;
  const stride = perDimension(layer.stride, dims, 'stride', 1);
  const dilation = perDimension(layer.dilation, dims, 'dilation', 1);
  const kernel = perDimension(layer.kernel, dims, 'kernel', 1);
  const padding = resolvePadding(layer.padding as PaddingSpec, kernel, stride, dilation);
  return makePatterns(layer.input, kernel, stride, dilation, padding).map((p) => p.outputSize);
}

/**
 * Rows C of the square-root loss-Hessian factor s [C, N, C_out, *O] that the curvature
 * operations (ggn_diagonal, ggn_gram) read when built from a layer: the exact factor of a
 * 10-class softmax cross-entropy. Requests may give any C.
 */
export const LAYER_FACTOR_ROWS = 10;

/** Shapes and hyper-parameters of `op` applied to this layer (the op's own input names). */
export function layerOpInput(op: OpName, layer: LayerConfig): OpInput {
  const { batch: n, inChannels: cIn, outChannels: cOut, groups: g, input, kernel } = layer;
  if (input.length < 1) fail('a layer needs at least one spatial dimension');
  const hyper = {
    stride: layer.stride,
    padding: layer.padding,
    dilation: layer.dilation,
    groups: g,
  };
  const weight = [cOut, cIn / g, ...kernel];
  if (!Number.isInteger(cIn / g)) fail(`groups ${g} does not divide in_channels ${cIn}`);
  if (!Number.isInteger(cOut / g)) fail(`groups ${g} does not divide out_channels ${cOut}`);
  const x = [n, cIn, ...input];
  switch (op) {
    case 'conv_forward':
      return { ...hyper, shapes: { x, weight } };
    case 'conv_input_jvp':
      return { ...hyper, shapes: { v: x, weight } };
    case 'conv_weight_jvp':
      return { ...hyper, shapes: { x, v: weight } };
    case 'conv_input_vjp':
      return {
        ...hyper,
        input_size: input,
        shapes: { v: [n, cOut, ...layerOutputSize(layer)], weight },
      };
    case 'conv_weight_vjp':
    case 'conv_per_example_weight_vjp':
      return {
        ...hyper,
        kernel_size: kernel,
        shapes: { x, v: [n, cOut, ...layerOutputSize(layer)] },
      };
    case 'conv_transpose_forward':
      return {
        ...hyper,
        output_padding: layer.outputPadding,
        shapes: { x, weight: [cIn, cOut / g, ...kernel] },
      };
    case 'unfold':
      return {
        stride: layer.stride,
        padding: layer.padding,
        dilation: layer.dilation,
        kernel_size: kernel,
        shapes: { x },
      };
    case 'unfold_transpose':
      return {
        stride: layer.stride,
        padding: layer.padding,
        dilation: layer.dilation,
        kernel_size: kernel,
        output_padding: layer.outputPadding,
        shapes: { x },
      };
    case 'kfc':
    case 'kfac_reduce':
      return { ...hyper, kernel_size: kernel, shapes: { x } };
    case 'conv_transpose_kfac_reduce':
      return { ...hyper, kernel_size: kernel, output_padding: layer.outputPadding, shapes: { x } };
    case 'avg_pool': {
      // Pooling has no dilation or groups, and pads at most half its window (PyTorch's
      // rule): a dilated layer's padding is cut to that; 'same' keeps the input size.
      const padding = resolvePadding(
        layer.padding as PaddingSpec,
        kernel,
        layer.stride,
        layer.dilation,
      );
      return {
        kernel_size: kernel,
        stride: layer.stride,
        padding: padding.map(([left], d) => Math.min(left, Math.floor(kernel[d] / 2))),
        shapes: { x },
      };
    }
    case 'fold': {
      const patches = [
        n,
        cIn * kernel.reduce((a, b) => a * b, 1),
        layerOutputSize(layer).reduce((a, b) => a * b, 1),
      ];
      return {
        stride: layer.stride,
        padding: layer.padding,
        dilation: layer.dilation,
        kernel_size: kernel,
        input_size: input,
        shapes: { x: patches },
      };
    }
    case 'unfold_kernel':
      return { ...hyper, input_size: input, shapes: { weight } };
    case 'per_example_grad_norm':
    case 'sum_grad_squared':
      return {
        ...hyper,
        kernel_size: kernel,
        shapes: { x, v: [n, cOut, ...layerOutputSize(layer)] },
      };
    case 'ggn_diagonal':
    case 'ggn_gram':
      return {
        ...hyper,
        kernel_size: kernel,
        shapes: { x, s: [LAYER_FACTOR_ROWS, n, cOut, ...layerOutputSize(layer)] },
      };
  }
}

export function buildLayerNetwork(op: OpName, layer: LayerConfig): Network {
  return getOperation(op).build(layerOpInput(op, layer));
}

/** The layers of test/fixtures/layers.json (docs/design.md §5.1) as configs. */
export interface BenchLayer {
  name: string;
  in_channels: number;
  out_channels: number;
  input: number[];
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
  kind: string;
}

export function benchLayerConfig(layer: BenchLayer, batch: number): LayerConfig {
  return {
    batch,
    inChannels: layer.in_channels,
    outChannels: layer.out_channels,
    input: [...layer.input],
    kernel: [...layer.kernel],
    stride: [...layer.stride],
    padding: [...layer.padding],
    dilation: [...layer.dilation],
    groups: layer.groups,
    outputPadding: layer.input.map(() => 0),
  };
}
