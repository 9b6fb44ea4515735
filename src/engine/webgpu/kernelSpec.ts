import { rowMajorStrides } from '../../core/tensor.ts';
import type { PatternParams, PatternRole } from '../../core/network.ts';

/**
 * One generated WebGPU kernel, described without any WGSL: the value
 *
 *   out[output…] = scale · Σ_{every other leg} Π_j operand_j[legs_j] · Π_p Π_p[k_p, o_p, i_p]
 *
 * where each operand is read through a strided view of an input buffer and each index
 * pattern Π_p is never stored: it is the predicate i = o·S + k·D − P with 0 ≤ i < I, used
 * to compute one of its legs from the other two (a gather fused into the loads).
 */

/** A dense operand read from a flat row-major buffer: address = offset + Σ leg·stride. */
export interface OperandView {
  /** Position of the buffer among the kernel's inputs. */
  input: number;
  /** The leg read along each axis (a leg named twice reads a diagonal). */
  legs: string[];
  strides: number[];
  offset: number;
}

export interface PatternFactor {
  params: PatternParams;
  /** The leg carrying each role. A role summed inside Π (Π̄[k, i] = Σ_o Π) has a hidden leg. */
  legs: Record<PatternRole, string>;
  /** Positions kept along a thinned role (tensor dropout): leg value j means position keep[j]. */
  keep?: Partial<Record<PatternRole, number[]>>;
}

export interface KernelSpec {
  /** Extent of every leg (a thinned leg: the number of kept positions). */
  sizes: Record<string, number>;
  operands: OperandView[];
  /** Number of input buffers bound (operands may share one). */
  inputs: number;
  patterns: PatternFactor[];
  /** Result legs, row-major; a leg named twice is a diagonal (zero off it). */
  output: string[];
  scale: number;
  /**
   * Where the result entries go in the bound result buffer: offset + Σ leg·stride over
   * `output` (one phase of a split writes every S-th position). Absent: row-major.
   */
  store?: { strides: number[]; offset: number };
}

export const ROLES: readonly PatternRole[] = ['k', 'o', 'i'];

/** Full extent of a role of Π (before thinning). */
export function roleExtent(p: PatternParams, role: PatternRole): number {
  return role === 'k' ? p.kernelSize : role === 'o' ? p.outputSize : p.inputSize;
}

export function outputSize(spec: KernelSpec): number {
  let n = 1;
  for (const l of spec.output) n *= spec.sizes[l];
  return n;
}

/** WGSL address of a result entry, given each result leg's expression. */
export function storeAddress(spec: KernelSpec, leg: (l: string) => string): string {
  const strides = spec.store?.strides ?? rowMajorStrides(spec.output.map((l) => spec.sizes[l]));
  const terms = spec.output.flatMap((l, a) =>
    spec.sizes[l] === 1 ? [] : [strides[a] === 1 ? leg(l) : `${leg(l)} * ${strides[a]}`],
  );
  if (spec.store?.offset) terms.push(String(spec.store.offset));
  return terms.length ? terms.join(' + ') : '0';
}
