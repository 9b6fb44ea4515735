/**
 * Direct loop definitions of convolutions, written independently of the tensor-network
 * code (no index pattern, no evaluator): the ground truth for property tests.
 */

export interface ConvSpec {
  batch: number;
  groups: number;
  inPerGroup: number;
  outPerGroup: number;
  input: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padLeft: number[];
  padRight: number[];
}

export function outputSizes(s: ConvSpec): number[] {
  return s.input.map(
    (size, d) =>
      Math.floor(
        (size + s.padLeft[d] + s.padRight[d] - s.dilation[d] * (s.kernel[d] - 1) - 1) / s.stride[d],
      ) + 1,
  );
}

/** All multi-indices of a shape, row-major. */
export function* positions(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const idx = new Array<number>(shape.length);
    let rest = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      idx[a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
    yield idx;
  }
}

function flatIndex(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * shape[a] + idx[a];
  return f;
}

/**
 * Input coordinate a tap reads, by sliding a window over an explicitly padded axis:
 * window o starts at o·S in padded coordinates, tap k sits D·k further, padding is the
 * first padLeft cells. Returns −1 for padding.
 */
export function tapPosition(o: number, k: number, d: number, s: ConvSpec): number {
  const padded = o * s.stride[d] + k * s.dilation[d];
  const inside = padded - s.padLeft[d];
  return inside >= 0 && inside < s.input[d] ? inside : -1;
}

/** PyTorch convNd: x [N, G·Cin, *I], w [G·Cout, Cin, *K] → [N, G·Cout, *O]. */
export function directConvolution(
  x: Float64Array,
  w: Float64Array,
  s: ConvSpec,
): { shape: number[]; data: Float64Array } {
  const out = outputSizes(s);
  const cIn = s.groups * s.inPerGroup;
  const cOut = s.groups * s.outPerGroup;
  const yShape = [s.batch, cOut, ...out];
  const y = new Float64Array(yShape.reduce((a, b) => a * b, 1));
  const xShape = [s.batch, cIn, ...s.input];
  const wShape = [cOut, s.inPerGroup, ...s.kernel];
  for (const [n, co, ...o] of positions([s.batch, cOut, ...out])) {
    const g = Math.floor(co / s.outPerGroup);
    let acc = 0;
    for (const [ci, ...k] of positions([s.inPerGroup, ...s.kernel])) {
      const i = k.map((kk, d) => tapPosition(o[d], kk, d, s));
      if (i.some((v) => v < 0)) continue;
      acc +=
        x[flatIndex([n, g * s.inPerGroup + ci, ...i], xShape)] *
        w[flatIndex([co, ci, ...k], wShape)];
    }
    y[flatIndex([n, co, ...o], yShape)] = acc;
  }
  return { shape: yShape, data: y };
}

/**
 * PyTorch conv_transposeNd as the scatter it is: every input entry adds weight·x at the
 * positions its window covers. x [N, G·Cin, *O], w [G·Cin, Cout, *K] → [N, G·Cout, *I],
 * with s.input the transpose convolution's output size.
 */
export function directTransposeConvolution(
  x: Float64Array,
  w: Float64Array,
  s: ConvSpec,
): { shape: number[]; data: Float64Array } {
  const o = outputSizes(s);
  const cIn = s.groups * s.inPerGroup;
  const cOut = s.groups * s.outPerGroup;
  const yShape = [s.batch, cOut, ...s.input];
  const y = new Float64Array(yShape.reduce((a, b) => a * b, 1));
  const xShape = [s.batch, cIn, ...o];
  const wShape = [cIn, s.outPerGroup, ...s.kernel];
  for (const [n, ci, ...oo] of positions(xShape)) {
    const g = Math.floor(ci / s.inPerGroup);
    for (const [co, ...k] of positions([s.outPerGroup, ...s.kernel])) {
      const i = k.map((kk, d) => tapPosition(oo[d], kk, d, s));
      if (i.some((v) => v < 0)) continue;
      y[flatIndex([n, g * s.outPerGroup + co, ...i], yShape)] +=
        x[flatIndex([n, ci, ...oo], xShape)] * w[flatIndex([ci, co, ...k], wShape)];
    }
  }
  return { shape: yShape, data: y };
}

/** Per-example weight gradient: [N, G·Cout, Cin, *K]. */
export function directPerExampleWeightGradient(
  x: Float64Array,
  v: Float64Array,
  s: ConvSpec,
): { shape: number[]; data: Float64Array } {
  const out = outputSizes(s);
  const cIn = s.groups * s.inPerGroup;
  const cOut = s.groups * s.outPerGroup;
  const xShape = [s.batch, cIn, ...s.input];
  const vShape = [s.batch, cOut, ...out];
  const gShape = [s.batch, cOut, s.inPerGroup, ...s.kernel];
  const grad = new Float64Array(gShape.reduce((a, b) => a * b, 1));
  for (const [n, co, ci, ...k] of positions(gShape)) {
    const g = Math.floor(co / s.outPerGroup);
    let acc = 0;
    for (const o of positions(out)) {
      const i = k.map((kk, d) => tapPosition(o[d], kk, d, s));
      if (i.some((val) => val < 0)) continue;
      acc +=
        x[flatIndex([n, g * s.inPerGroup + ci, ...i], xShape)] *
        v[flatIndex([n, co, ...o], vShape)];
    }
    grad[flatIndex([n, co, ci, ...k], gShape)] = acc;
  }
  return { shape: gShape, data: grad };
}

/**
 * im2col by loops: U[n, c·∏K + k, o] = x[n, c, window o, tap k] (0 in the padding).
 * With `transpose`, x is [N, C, *O] and U[n, c·∏K + k, i] scatters x along the same taps
 * onto the input positions i (the unfolding of a transpose convolution).
 */
export function directUnfold(
  x: Float64Array,
  channels: number,
  s: ConvSpec,
  transpose = false,
): { shape: number[]; data: Float64Array } {
  const out = outputSizes(s);
  const kTotal = s.kernel.reduce((a, b) => a * b, 1);
  const oTotal = out.reduce((a, b) => a * b, 1);
  const iTotal = s.input.reduce((a, b) => a * b, 1);
  const cols = transpose ? iTotal : oTotal;
  const shape = [s.batch, channels * kTotal, cols];
  const u = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const xSpatial = transpose ? out : s.input;
  for (const [n, c] of positions([s.batch, channels])) {
    let kf = 0;
    for (const k of positions(s.kernel)) {
      let of = 0;
      for (const o of positions(out)) {
        const i = k.map((kk, d) => tapPosition(o[d], kk, d, s));
        if (!i.some((v) => v < 0)) {
          const iFlat = flatIndex(i, s.input);
          const row = (n * channels * kTotal + c * kTotal + kf) * cols;
          if (transpose)
            u[row + iFlat] += x[flatIndex([n, c, ...o], [s.batch, channels, ...xSpatial])];
          else u[row + of] = x[flatIndex([n, c, ...i], [s.batch, channels, ...xSpatial])];
        }
        of++;
      }
      kf++;
    }
  }
  return { shape, data: u };
}

/**
 * Kronecker factors from an unfolded input U [N, G·R, P] (R rows per group, P columns):
 * 'expand' = Σ_n U U^T / N per group; 'reduce' = Σ_n (Σ_p U)(Σ_p U)^T / (N·P²).
 */
export function directKroneckerFactor(
  u: { shape: number[]; data: Float64Array },
  groups: number,
  kind: 'expand' | 'reduce',
): { shape: number[]; data: Float64Array } {
  const [batch, rowsAll, cols] = u.shape;
  const rows = rowsAll / groups;
  const shape = [groups, rows, rows];
  const out = new Float64Array(groups * rows * rows);
  const at = (n: number, r: number, p: number) => u.data[(n * rowsAll + r) * cols + p];
  for (let g = 0; g < groups; g++) {
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < rows; b++) {
        let acc = 0;
        for (let n = 0; n < batch; n++) {
          if (kind === 'expand') {
            for (let p = 0; p < cols; p++) acc += at(n, g * rows + a, p) * at(n, g * rows + b, p);
          } else {
            let sa = 0;
            let sb = 0;
            for (let p = 0; p < cols; p++) {
              sa += at(n, g * rows + a, p);
              sb += at(n, g * rows + b, p);
            }
            acc += sa * sb;
          }
        }
        out[(g * rows + a) * rows + b] =
          kind === 'expand' ? acc / batch : acc / (batch * cols * cols);
      }
    }
  }
  return { shape, data: out };
}
