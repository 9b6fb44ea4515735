/**
 * A compiled network: a straight-line list of tensor instructions with every shape known,
 * produced by the pure lowering (lower.ts) and run by the tfjs interpreter (execute.ts).
 * Keeping the two apart lets the memory budget be checked on exact allocation sizes
 * before a single tensor exists, and lets benchmarks compile once and run many times.
 */

import type { GeneratedKernel } from './webgpu/generatedKernel.ts';
import type { KernelSpec } from './webgpu/kernelSpec.ts';

export type ValueId = number;
export type Dtype = 'float32' | 'int32';

export interface ValueInfo {
  shape: number[];
  dtype: Dtype;
  /** Path step (0-based) whose lowering created the value; -1 before the path, path.length after. */
  step: number;
}

/** Host data uploaded once per executable (index tables, dense Π / δ). */
export interface Constant {
  dtype: Dtype;
  shape: number[];
  data: Int32Array | Float32Array;
}

export type Instr =
  /** The request input `source` as float32 (uploaded, or borrowed when given as a tensor). */
  | { op: 'input'; out: ValueId; source: string }
  | { op: 'const'; out: ValueId; constant: number }
  /** Row-major reshape: shares storage, allocates nothing. */
  | { op: 'reshape'; x: ValueId; out: ValueId }
  | { op: 'transpose'; x: ValueId; out: ValueId; perm: number[] }
  | { op: 'slice'; x: ValueId; out: ValueId; begin: number[]; end: number[]; strides: number[] }
  /** Appends `after` zeros along `axis` (the slot an index table's padding taps point to). */
  | { op: 'pad'; x: ValueId; out: ValueId; axis: number; after: number }
  | { op: 'gather'; x: ValueId; indices: ValueId; out: ValueId; axis: number }
  | { op: 'matmul'; a: ValueId; b: ValueId; out: ValueId; transposeA: boolean; transposeB: boolean }
  /** Elementwise product with broadcasting (outer and Hadamard products). */
  | { op: 'mul'; a: ValueId; b: ValueId; out: ValueId }
  | { op: 'sum'; x: ValueId; out: ValueId; axes: number[] }
  | { op: 'scale'; x: ValueId; out: ValueId; value: number }
  | { op: 'broadcast'; x: ValueId; out: ValueId }
  /** A generated WebGPU kernel (webgpu/): reads its inputs flat, writes `out` row-major. */
  | { op: 'kernel'; inputs: ValueId[]; out: ValueId; spec: KernelSpec; kernel: GeneratedKernel }
  /**
   * A generated kernel split by the phase of a strided result leg (webgpu/phaseSplit.ts):
   * one dispatch per phase, all writing into `out` (zero-filled first where a phase has no tap).
   */
  | {
      op: 'phased';
      inputs: ValueId[];
      out: ValueId;
      spec: KernelSpec;
      phases: { spec: KernelSpec; kernel: GeneratedKernel }[];
      zeroFill: boolean;
    };

/** How one step of the path was lowered, for tests, the UI and benchmark reports. */
export interface StepLowering {
  step: number;
  operands: number[];
  /** e.g. 'gather', 'matmul', 'rename', 'outer', 'sum'; several when a step needs them. */
  kinds: string[];
  /** Indices of the step's result, in the layout it was produced. */
  result: string[];
  /**
   * The planner step (over the network's tensors) this step carries out; undefined for the
   * contraction of leftovers and when the lowering could not follow the plan. The generated
   * kernels follow it among data tensors only (webgpu/followPlan.ts), so their step numbers
   * differ from the plan's.
   */
  planStep?: number;
}

export interface Program {
  instrs: Instr[];
  values: ValueInfo[];
  constants: Constant[];
  /** Input names the program reads, with the shape it was compiled for. */
  inputs: Record<string, number[]>;
  output: ValueId;
  resultShape: number[];
  path: number[][];
  steps: StepLowering[];
  /** Largest total of live bytes during a run (float32 / int32 = 4 bytes), constants included. */
  peakBytes: number;
  /** Largest single allocation and where it happens. */
  largestAllocation: { bytes: number; step: number };
  /** Why generated kernels were not used for a WebGPU compile (absent when they were, or not asked for). */
  kernelFallback?: string;
}

export const BYTES_PER_ELEMENT = 4;

export function sizeOf(shape: readonly number[]): number {
  let p = 1;
  for (const s of shape) p *= s;
  return p;
}

/**
 * Reductions over at most SHORT_SUM entries for at least SHORT_SUM_OUTPUTS outputs are
 * "short": tfjs-webgpu's reduce runs one workgroup per output, so the engine adds slices
 * of a leading block instead.
 */
export const SHORT_SUM = 64;
export const SHORT_SUM_OUTPUTS = 1024;

export function isShortSum(shape: readonly number[], axes: readonly number[]): boolean {
  const reduced = sizeOf(axes.map((a) => shape[a]));
  return reduced <= SHORT_SUM && sizeOf(shape) / reduced >= SHORT_SUM_OUTPUTS;
}
