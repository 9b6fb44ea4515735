import type { DataTransform } from '../../core/network.ts';
import { rowMajorStrides } from '../../core/tensor.ts';

/**
 * A data tensor's recorded transforms (the rewrite rules' reshapes and slices) as strides
 * over its input buffer, so the kernel reads the original input in place. A reshape of a
 * strided view is possible when every group of merged axes is itself contiguous.
 */

export interface Strided {
  shape: number[];
  strides: number[];
  offset: number;
}

export function contiguousView(shape: readonly number[]): Strided {
  return { shape: [...shape], strides: rowMajorStrides(shape), offset: 0 };
}

function reshapeView(view: Strided, shape: readonly number[]): Strided | undefined {
  // Drop size-1 axes (any stride will do for them), then match runs of equal products.
  const oldAxes = view.shape.flatMap((s, a) => (s === 1 ? [] : [a]));
  const strides = new Array<number>(shape.length).fill(0);
  let o = 0;
  let n = 0;
  const newAxes = shape.flatMap((s, a) => (s === 1 ? [] : [a]));
  while (o < oldAxes.length || n < newAxes.length) {
    if (o >= oldAxes.length || n >= newAxes.length) return undefined;
    const oldGroup = [oldAxes[o++]];
    const newGroup = [newAxes[n++]];
    let po = view.shape[oldGroup[0]];
    let pn = shape[newGroup[0]];
    while (po !== pn) {
      if (po < pn) {
        if (o >= oldAxes.length) return undefined;
        oldGroup.push(oldAxes[o++]);
        po *= view.shape[oldGroup[oldGroup.length - 1]];
      } else {
        if (n >= newAxes.length) return undefined;
        newGroup.push(newAxes[n++]);
        pn *= shape[newGroup[newGroup.length - 1]];
      }
    }
    for (let j = 0; j + 1 < oldGroup.length; j++) {
      const a = oldGroup[j];
      const b = oldGroup[j + 1];
      if (view.strides[a] !== view.strides[b] * view.shape[b]) return undefined;
    }
    let acc = view.strides[oldGroup[oldGroup.length - 1]];
    for (let j = newGroup.length - 1; j >= 0; j--) {
      strides[newGroup[j]] = acc;
      acc *= shape[newGroup[j]];
    }
  }
  return { shape: [...shape], strides, offset: view.offset };
}

/**
 * The view after the transforms; or, where a reshape merges axes a slice has made
 * non-contiguous, or at a select, the view just before it and the transform's position
 * (the caller copies that view to a contiguous buffer and goes on from there).
 */
export function applyTransformsToView(
  view0: Strided,
  transforms: readonly DataTransform[],
): Strided | { stuckAt: number; view: Strided } {
  let view = view0;
  for (const [at, tr] of transforms.entries()) {
    switch (tr.kind) {
      case 'reshape': {
        const next = reshapeView(view, tr.shape);
        if (!next) return { stuckAt: at, view };
        view = next;
        break;
      }
      case 'slice': {
        const step = tr.step ?? 1;
        const shape = [...view.shape];
        const strides = [...view.strides];
        const offset = view.offset + tr.start * strides[tr.axis];
        shape[tr.axis] = tr.size;
        strides[tr.axis] *= step;
        view = { shape, strides, offset };
        break;
      }
      case 'select':
        // Tensor dropout's random subset: the caller gathers it (the only table a data read needs).
        return { stuckAt: at, view };
    }
  }
  return view;
}
