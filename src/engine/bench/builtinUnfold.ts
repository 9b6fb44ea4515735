import * as tf from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../core/layer.ts';
import { toChannelsLast } from './tfjsLayout.ts';
import type { BuiltinChoice } from './builtin.ts';
import { type Geometry, geometryOf, prod } from './builtinGeometry.ts';

// The Kronecker factors' built-ins: unfold (im2col) by slicing, then matMul.

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

export function kroneckerFactor(layer: LayerConfig, reduce: boolean): BuiltinChoice {
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
