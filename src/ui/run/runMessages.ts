import type { StepTime } from '../../engine/bench/index.ts';
import type { LayerConfig } from '../../core/layer.ts';
import type { Network } from '../../core/network.ts';
import type { OpName } from '../../core/ops/index.ts';
import type { PlanAlgorithm } from '../../core/planner/index.ts';
import type { BackendName } from '../../engine/backend.ts';
import type { BenchOp } from '../../engine/bench/ops.ts';
import type { BenchReport, CaseResult } from '../../engine/bench/report.ts';

/**
 * Messages and results of a run, shared by the main thread (runService.ts) and the
 * worker (worker.ts). Everything here crosses postMessage, so it is plain data.
 */

export type { BackendName };

/** An input given by the user, row-major, in the shape the network reads it. */
export interface UploadedTensor {
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

export type RunInputs =
  /**
   * Uniform in [−1, 1), the benchmark harness's generator, or spatially smooth
   * (src/engine/bench/smooth.ts); input j uses seed + j.
   */
  | { kind: 'seeded'; seed: number; distribution?: 'uniform' | 'smooth' }
  | { kind: 'uploaded'; tensors: Record<string, UploadedTensor> };

export interface RunConfig {
  /** The network to evaluate (the editor's current one). */
  network: Network;
  /** The same computation before simplification: timed beside `network` when given. */
  unsimplified?: Network;
  /**
   * A network this one estimates on the same inputs (e.g. the exact one of a dropped
   * network): evaluated by the float64 reference, compared in the Frobenius norm.
   */
  estimates?: Network;
  inputs: RunInputs;
  /** Preferred backend (default webgpu). */
  backend?: BackendName;
  /**
   * When the preferred backend cannot start, take the next one in webgpu → webgl → wasm
   * → cpu order and say why (default true); false makes that a failure instead.
   */
  allowFallback?: boolean;
  /** Timed runs; the median is reported (default 5). */
  repeats?: number;
  /** Untimed runs first: shader compilation, uploads (default 1). */
  warmup?: number;
  /** Time and compare with tfjs's own operation when one exists (default true). */
  compareBuiltin?: boolean;
  /** The operation and layer the network computes, when known: picks the built-in. */
  op?: OpName;
  layer?: LayerConfig;
  /**
   * Set when the network was recognised as `op` rather than built as it: the operation's
   * input name → the network's input reading the same values (reshaped to the
   * operation's shape for the built-in). The network keeps its own input names and shapes.
   */
  builtinInputs?: Record<string, string>;
  /** Live-tensor budget checked before anything is allocated (default 1 GiB). */
  memoryBudgetBytes?: number;
  planAlgorithm?: PlanAlgorithm;
}

export interface Timing {
  /** Milliseconds. */
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export interface PlanSummary {
  algorithm: string;
  path: number[][];
  /** Dense FLOPs (opt_einsum convention) and FLOPs with Π as gathers. */
  flops: number;
  structuredFlops: number;
  /** Live bytes the engine's memory simulation predicts. */
  predictedPeakBytes: number;
}

export interface RunResult {
  backend: BackendName;
  /** Why better backends were passed over, when the preferred one did not start. */
  fallbackReason?: string;
  /**
   * max |TN − check| over the result; `against` says what the check was: tfjs's built-in
   * (float32, same backend), the float64 reference evaluator (when tfjs has none), or
   * that reference on a reduced copy of the network (when the full one is too large).
   */
  maxError?: number;
  against: 'builtin' | 'reference' | 'reduced' | 'none';
  /** Why there is no check or no built-in timing. */
  checkNote?: string;
  /** max |check| (scale for maxError). */
  maxAbs?: number;
  builtinName?: string;
  timeTn: Timing;
  timeBuiltin?: Timing;
  /** Peak memory of one run beyond its inputs and result (bytes), kept tables included. */
  peakBytesTn: number;
  peakBytesBuiltin?: number;
  outputShape: number[];
  inputShapes: Record<string, number[]>;
  plan: PlanSummary;
  /** Each step of the path with what ran it and its time in one profiled run. */
  steps?: StepTime[];
  /** Why the generated WebGPU kernels were not used (the tfjs-op lowering ran instead). */
  kernelFallback?: string;
  /** Against `estimates`: ‖TN − estimated‖/‖estimated‖ and the ratio of planned dense FLOPs. */
  estimate?: { relativeError: number; relativeCost: number };
  /** The network before simplification, run on the same inputs. */
  unsimplified?: {
    timeTn: Timing;
    peakBytesTn: number;
    plan: PlanSummary;
    /** max |simplified − unsimplified|. */
    maxDiff: number;
  };
}

export type RunStage =
  'queued' | 'plan' | 'backend' | 'inputs' | 'tn' | 'builtin' | 'check' | 'unsimplified' | 'bench';

export interface RunProgress {
  stage: RunStage;
  /** Fraction of the whole job done, 0..1. */
  fraction: number;
  message: string;
  /** Results known so far (they stream back as each part finishes). */
  partial?: Partial<RunResult>;
  /** Benchmark view: cases finished so far. */
  cases?: CaseResult[];
}

export type FailureKind =
  /** Estimated memory over the budget: refused before allocation. */
  | 'budget'
  /** Bad inputs or network (shapes, limits). */
  | 'invalid'
  | 'no-adapter'
  | 'backend'
  | 'device-lost'
  | 'out-of-memory'
  | 'gpu'
  | 'worker-crash'
  | 'cancelled'
  | 'internal';

export interface RunFailure {
  kind: FailureKind;
  message: string;
  /** A backend worth trying instead (the UI offers "run on wasm instead"). */
  fallback?: BackendName;
  /** The stage the job was in. */
  stage?: RunStage;
}

export interface BenchJobConfig {
  /** Exact layer names of layers.json (all when empty). */
  layers?: string[];
  ops?: BenchOp[];
  batch?: number;
  runs?: number;
  warmup?: number;
  maxRunMs?: number;
  backend?: BackendName;
  allowFallback?: boolean;
}

export type { BenchReport, CaseResult };

export type Job = { kind: 'run'; config: RunConfig } | { kind: 'bench'; config: BenchJobConfig };

export type ToWorker = { type: 'start'; id: number; job: Job } | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; progress: RunProgress }
  | { type: 'done'; id: number; result: RunResult | BenchReport }
  | { type: 'failed'; id: number; failure: RunFailure }
  | { type: 'cancelled'; id: number };
