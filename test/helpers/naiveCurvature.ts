/**
 * Loop definitions of pooling, col2im, the Toeplitz matrix and the curvature quantities,
 * written from their textbook definitions on top of the loop convolutions of naive.ts
 * (no index pattern, no tensor network): ground truth for the property tests.
 */
import {
  directConvolution,
  directPerExampleWeightGradient,
  outputSizes,
  positions,
  tapPosition,
  type ConvSpec,
} from './naive.ts';

export interface Dense {
  shape: number[];
  data: Float64Array;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** avg_poolNd with count_include_pad=True: every window sum divided by ∏K. */
export function directAvgPool(x: Float64Array, channels: number, s: ConvSpec): Dense {
  const out = outputSizes(s);
  const shape = [s.batch, channels, ...out];
  const y = new Float64Array(size(shape));
  const xShape = [s.batch, channels, ...s.input];
  let at = 0;
  for (const [n, c, ...o] of positions(shape)) {
    let acc = 0;
    for (const k of positions(s.kernel)) {
      const i = k.map((kk, d) => tapPosition(o[d], kk, d, s));
      if (i.some((v) => v < 0)) continue;
      let flat = 0;
      [n, c, ...i].forEach((v, a) => (flat = flat * xShape[a] + v));
      acc += x[flat];
    }
    y[at++] = acc / size(s.kernel);
  }
  return { shape, data: y };
}

/** col2im: every patch entry x[n, c·∏K + k, o] is added at the input position tap k of window o reads. */
export function directFold(x: Float64Array, channels: number, s: ConvSpec): Dense {
  const out = outputSizes(s);
  const shape = [s.batch, channels, ...s.input];
  const y = new Float64Array(size(shape));
  let at = 0;
  for (const [n, c] of positions([s.batch, channels])) {
    for (const k of positions(s.kernel)) {
      for (const o of positions(out)) {
        const value = x[at++];
        const i = k.map((kk, d) => tapPosition(o[d], kk, d, s));
        if (i.some((v) => v < 0)) continue;
        let flat = 0;
        [n, c, ...i].forEach((v, a) => (flat = flat * shape[a] + v));
        y[flat] += value;
      }
    }
  }
  return { shape, data: y };
}

/** The Toeplitz matrix column by column: column j is the convolution of the j-th unit input. */
export function directToeplitz(w: Float64Array, s: ConvSpec): Dense {
  const one = { ...s, batch: 1 };
  const columns = s.groups * s.inPerGroup * size(s.input);
  const rows = s.groups * s.outPerGroup * size(outputSizes(s));
  const t = new Float64Array(rows * columns);
  const unit = new Float64Array(columns);
  for (let j = 0; j < columns; j++) {
    unit.fill(0);
    unit[j] = 1;
    const y = directConvolution(unit, w, one).data;
    for (let r = 0; r < rows; r++) t[r * columns + j] = y[r];
  }
  return { shape: [rows, columns], data: t };
}

/** Per-example weight gradients of each row c of s [C, N, C_out, *O]: [C, N, C_out, C_in/G, *K]. */
export function directFactorGradients(
  x: Float64Array,
  sRows: Float64Array,
  classes: number,
  s: ConvSpec,
): Dense {
  const perRow = s.batch * s.groups * s.outPerGroup * size(outputSizes(s));
  const grads = Array.from({ length: classes }, (_, c) =>
    directPerExampleWeightGradient(x, sRows.subarray(c * perRow, (c + 1) * perRow), s),
  );
  const shape = [classes, ...grads[0].shape];
  const data = new Float64Array(size(shape));
  grads.forEach((g, c) => data.set(g.data, c * g.data.length));
  return { shape, data };
}

/** Σ over the leading `lead` axes of the squares: Σ_{…} G[…, rest]² → [rest]. */
export function sumOfSquares(g: Dense, lead: number): Dense {
  const shape = g.shape.slice(lead);
  const inner = size(shape);
  const data = new Float64Array(inner);
  g.data.forEach((v, j) => (data[j % inner] += v * v));
  return { shape, data };
}

/** ‖G_n‖² for G [N, …]. */
export function squaredNormPerExample(g: Dense): Dense {
  const batch = g.shape[0];
  const inner = g.data.length / batch;
  const data = new Float64Array(batch);
  g.data.forEach((v, j) => (data[Math.floor(j / inner)] += v * v));
  return { shape: [batch], data };
}

/** Gram matrix of the rows of G [C, N, …] flattened to [C·N, …]: entry (r, r′) = ⟨G_r, G_r′⟩. */
export function gramOfRows(g: Dense): Dense {
  const rows = g.shape[0] * g.shape[1];
  const inner = g.data.length / rows;
  const data = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < rows; b++) {
      let acc = 0;
      for (let j = 0; j < inner; j++) acc += g.data[a * inner + j] * g.data[b * inner + j];
      data[a * rows + b] = acc;
    }
  }
  return { shape: [rows, rows], data };
}
