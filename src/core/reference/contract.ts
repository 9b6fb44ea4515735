import { rowMajorStrides, type DenseTensor } from '../tensor.ts';

/** A dense tensor whose axes are labelled by index names (names may repeat: a diagonal). */
export interface Labelled {
  legs: string[];
  value: DenseTensor;
}

/**
 * Plain reference contraction: for every assignment of all indices of the operands,
 * add the product of the operands' entries to the result entry at the kept indices.
 * Obviously correct and slow (∏ of all index sizes); the ground truth for tests.
 */
export function contractDense(
  operands: readonly Labelled[],
  keep: readonly string[],
  sizes: Readonly<Record<string, number>>,
): Labelled {
  const all: string[] = [];
  for (const op of operands) for (const leg of op.legs) if (!all.includes(leg)) all.push(leg);
  for (const leg of keep) if (!all.includes(leg)) all.push(leg);
  const dims = all.map((i) => sizes[i]);
  const position = new Map(all.map((name, a) => [name, a]));
  // For each operand, its stride along each of `all` (repeated legs add up: a diagonal).
  const opStrides = operands.map((op) => {
    const s = new Array<number>(all.length).fill(0);
    const strides = rowMajorStrides(op.value.shape);
    op.legs.forEach((leg, a) => {
      s[position.get(leg)!] += strides[a];
    });
    return s;
  });
  const outShape = keep.map((i) => sizes[i]);
  const outStridesByLeg = rowMajorStrides(outShape);
  const outStrides = new Array<number>(all.length).fill(0);
  keep.forEach((leg, a) => {
    outStrides[position.get(leg)!] = outStridesByLeg[a];
  });
  const out = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const total = dims.reduce((a, b) => a * b, 1);
  const counter = new Array<number>(all.length).fill(0);
  const offsets = new Array<number>(operands.length).fill(0);
  let outOffset = 0;
  for (let step = 0; step < total; step++) {
    let prod = 1;
    for (let p = 0; p < operands.length; p++) prod *= operands[p].value.data[offsets[p]];
    out[outOffset] += prod;
    // Odometer increment over `all`, updating every offset incrementally.
    for (let a = all.length - 1; a >= 0; a--) {
      counter[a]++;
      for (let p = 0; p < operands.length; p++) offsets[p] += opStrides[p][a];
      outOffset += outStrides[a];
      if (counter[a] < dims[a]) break;
      for (let p = 0; p < operands.length; p++) offsets[p] -= opStrides[p][a] * dims[a];
      outOffset -= outStrides[a] * dims[a];
      counter[a] = 0;
    }
  }
  return { legs: [...keep], value: { shape: outShape, data: out } };
}
