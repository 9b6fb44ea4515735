import type { PaddingSpec } from '../indexPattern.ts';
import type { Network } from '../network.ts';

export type OpName =
  | 'conv_forward'
  | 'conv_input_vjp'
  | 'conv_weight_vjp'
  | 'conv_input_jvp'
  | 'conv_weight_jvp'
  | 'conv_transpose_forward'
  | 'unfold'
  | 'unfold_transpose'
  | 'kfc'
  | 'kfac_reduce'
  | 'conv_transpose_kfac_reduce'
  | 'conv_per_example_weight_vjp'
  | 'avg_pool'
  | 'fold'
  | 'unfold_kernel'
  | 'per_example_grad_norm'
  | 'sum_grad_squared'
  | 'ggn_diagonal'
  | 'ggn_gram';

/** Hyper-parameters as a request states them (docs/design.md §4.1). */
export interface HyperParameters {
  stride?: number | number[];
  padding?: PaddingSpec;
  dilation?: number | number[];
  groups?: number;
  kernel_size?: number | number[];
  input_size?: number | number[];
  output_padding?: number | number[];
}

/** What a builder needs: the shape of each named input and the hyper-parameters. */
export interface OpInput extends HyperParameters {
  shapes: Record<string, readonly number[]>;
}

/**
 * One convolution-related operation: which inputs it takes and how to build its tensor
 * network. Every operation module exports one of these, so they can be listed, built and
 * tested the same way.
 */
export interface Operation {
  name: OpName;
  /** Input tensor names, in the order the request should give them. */
  inputs: readonly string[];
  /** Inputs a request may leave out (conv_forward's bias); not part of `inputs`. */
  optionalInputs?: readonly string[];
  /** Hyper-parameters the operation reads (others are ignored). */
  hyperParameters: readonly (keyof HyperParameters)[];
  /** One line for menus and help. */
  summary: string;
  build(input: OpInput): Network;
  /**
   * For an operation that is a sum rather than one product: further networks, each with
   * build()'s result shape, whose values are added to build()'s value (conv_forward's bias
   * term b[c_out]·1[n]·1[o…]). Absent or empty for a single network.
   */
  addends?(input: OpInput): Network[];
}
