import { fail } from './errors.ts';
import { denseIndexPattern } from './indexPattern.ts';
import {
  patternRoleSize,
  product,
  transformedShape,
  type DataTransform,
  type Network,
  type Tensor,
} from './network.ts';

/** A dense float64 tensor, row-major. */
export interface DenseTensor {
  shape: number[];
  data: Float64Array;
}

export function dense(shape: readonly number[], data?: ArrayLike<number>): DenseTensor {
  const size = product(shape);
  if (data && data.length !== size) {
    fail(`data has ${data.length} values but shape [${shape.join(', ')}] needs ${size}`);
  }
  return { shape: [...shape], data: data ? Float64Array.from(data) : new Float64Array(size) };
}

/** Same rank and the same size on every axis. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, j) => s === b[j]);
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = acc;
    acc *= shape[a];
  }
  return strides;
}

/** Applies recorded reshapes and slices (from the rewrite rules) to an input tensor. */
export function applyTransforms(t: DenseTensor, transforms: readonly DataTransform[]): DenseTensor {
  let cur = t;
  for (const tr of transforms) {
    const shape = transformedShape(cur.shape, [tr]);
    if (tr.kind === 'reshape') {
      cur = { shape, data: cur.data };
      continue;
    }
    if (tr.kind === 'select') {
      cur = gather(cur, tr.axis, tr.indices, shape);
      continue;
    }
    const step = tr.step ?? 1;
    const strides = rowMajorStrides(cur.shape);
    const outer = product(cur.shape.slice(0, tr.axis));
    const inner = strides[tr.axis];
    const out = new Float64Array(product(shape));
    let w = 0;
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < tr.size; j++) {
        const base = a * cur.shape[tr.axis] * inner + (tr.start + j * step) * inner;
        for (let b = 0; b < inner; b++) out[w++] = cur.data[base + b];
      }
    }
    cur = { shape, data: out };
  }
  return cur;
}

/** Entries at `indices` along one axis, in that order. */
function gather(
  t: DenseTensor,
  axis: number,
  indices: readonly number[],
  shape: number[],
): DenseTensor {
  const inner = rowMajorStrides(t.shape)[axis];
  const outer = product(t.shape.slice(0, axis));
  const out = new Float64Array(product(shape));
  let w = 0;
  for (let a = 0; a < outer; a++) {
    for (const j of indices) {
      const base = (a * t.shape[axis] + j) * inner;
      for (let b = 0; b < inner; b++) out[w++] = t.data[base + b];
    }
  }
  return { shape, data: out };
}

export type Inputs = Record<string, DenseTensor>;

/** The values of one tensor of a network, as a dense array over its legs. */
export function materialize(net: Network, t: Tensor, inputs: Inputs): DenseTensor {
  const shape = t.legs.map((leg) => net.sizes[leg]);
  switch (t.kind) {
    case 'data': {
      const src = inputs[t.source];
      if (!src) fail(`no input '${t.source}' for tensor ${t.label}`);
      const value = applyTransforms(src, t.transforms);
      if (value.shape.length !== shape.length || value.shape.some((s, a) => s !== shape[a])) {
        fail(
          `input '${t.source}' gives shape [${value.shape.join(', ')}] but ${t.label} needs [${shape.join(', ')}]`,
        );
      }
      return value;
    }
    case 'index_pattern': {
      const full = t.roles.map((role) => patternRoleSize(t.pattern, role));
      const selects: DataTransform[] = [];
      t.roles.forEach((role, axis) => {
        const kept = t.keep?.[role];
        if (kept) selects.push({ kind: 'select', axis, indices: kept });
      });
      return applyTransforms({ shape: full, data: denseIndexPattern(t.pattern, t.roles) }, selects);
    }
    case 'delta': {
      const out = new Float64Array(product(shape));
      const strides = rowMajorStrides(shape);
      const step = strides.reduce((a, b) => a + b, 0);
      for (let v = 0; v < (shape[0] ?? 1); v++) out[v * step] = 1;
      return { shape, data: out };
    }
    case 'scalar':
      return { shape: [], data: Float64Array.of(t.value) };
  }
}
