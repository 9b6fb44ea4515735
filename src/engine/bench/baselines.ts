import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../core/layer.ts';
import type { OpName } from '../../core/ops/index.ts';
import type { Builtin, BuiltinChoice } from './builtin.ts';
import { forward, inputVjp, weightVjp } from './builtinConv.ts';
import { geometryOf, prod, isDepthwise } from './builtinGeometry.ts';
import { kroneckerFactor } from './builtinUnfold.ts';

// The built-in of each operation (the families are in builtinConv.ts and builtinUnfold.ts;
// what a built-in is, in builtin.ts), its memory estimate, and how it runs.

export type { Builtin, BuiltinChoice };
export { unfoldBySlicing } from './builtinUnfold.ts';

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
        return (
          x +
          padded +
          2 * unfolded +
          (unfolded / prod(g.output)) * (g.groups > 1 ? 3 : 2) +
          2 * factor
        );
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
  return {
    builtin: tidied({ ...choice.builtin, estimatedBytes: estimateBuiltinBytes(op, layer) }),
  };
}
