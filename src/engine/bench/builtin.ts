import type * as tf from '@tensorflow/tfjs-core';

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
