import type {
  BenchJobConfig,
  BenchReport,
  FailureKind,
  FromWorker,
  Job,
  RunConfig,
  RunFailure,
  RunProgress,
  RunResult,
  RunStage,
  ToWorker,
} from './runMessages.ts';
import type { BackendName } from '../../engine/backend.ts';

/**
 * Evaluating networks off the main thread. One Web Worker runs tfjs (so the editor never
 * freezes while the GPU works) and takes one job at a time; later jobs wait their turn,
 * which keeps two runs from timing each other.
 *
 *   const run = startRun({ network, inputs: { kind: 'seeded', seed: 1 }, op, layer });
 *   run.onProgress((p) => …);         // stage, fraction done, results so far
 *   const result = await run.result;  // RunResult; rejects with a RunError
 *   run.cancel();                     // rejects with kind 'cancelled'
 *
 * A job is refused before any tensor exists when its memory estimate is over the budget
 * (kind 'budget'). GPU failures (no adapter, device lost, out of memory) and a crashed
 * worker reject with their kind and, where one exists, a backend to try instead; the
 * worker is then replaced so the next run starts on a fresh device.
 */

export class RunError extends Error {
  override readonly name = 'RunError';
  readonly kind: FailureKind;
  readonly fallback?: BackendName;
  readonly stage?: RunStage;
  constructor(failure: RunFailure) {
    super(failure.message);
    this.kind = failure.kind;
    this.fallback = failure.fallback;
    this.stage = failure.stage;
  }
}

export interface RunHandle<T = RunResult> {
  readonly id: number;
  readonly result: Promise<T>;
  /** Calls `listener` with every progress report from now on; returns an unsubscribe. */
  onProgress(listener: (progress: RunProgress) => void): () => void;
  /** Stops the job (waiting ones leave the queue); `result` rejects with kind 'cancelled'. */
  cancel(): void;
}

/** What the service needs of a Worker (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface RunServiceOptions {
  /** How long a running job may take to stop after cancel() before the worker is killed. */
  cancelGraceMs?: number;
}

interface Pending {
  id: number;
  job: Job;
  listeners: Set<(p: RunProgress) => void>;
  resolve(value: RunResult | BenchReport): void;
  reject(err: RunError): void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

/** After these the worker's tfjs backend may be unusable; the next job gets a new worker. */
const RESTART_AFTER: readonly FailureKind[] = ['device-lost', 'out-of-memory', 'gpu', 'internal'];

export class RunService {
  private worker?: WorkerLike;
  private active?: Pending;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private readonly cancelGraceMs: number;

  constructor(
    private readonly makeWorker: () => WorkerLike,
    options: RunServiceOptions = {},
  ) {
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
  }

  startRun(config: RunConfig, onProgress?: (p: RunProgress) => void): RunHandle<RunResult> {
    return this.submit({ kind: 'run', config }, onProgress) as RunHandle<RunResult>;
  }

  /** Runs the layer suite (the benchmark view) through the same queue. */
  startBench(
    config: BenchJobConfig,
    onProgress?: (p: RunProgress) => void,
  ): RunHandle<BenchReport> {
    return this.submit({ kind: 'bench', config }, onProgress) as RunHandle<BenchReport>;
  }

  /** Whether a job is running or waiting. */
  get busy(): boolean {
    return this.active !== undefined || this.queue.length > 0;
  }

  /** Stops everything and the worker (tests, page teardown). */
  dispose(): void {
    for (const p of [...this.queue, ...(this.active ? [this.active] : [])]) {
      p.reject(new RunError({ kind: 'cancelled', message: 'the run service was shut down' }));
    }
    this.queue.length = 0;
    this.active = undefined;
    this.killWorker();
  }

  private submit(
    job: Job,
    onProgress?: (p: RunProgress) => void,
  ): RunHandle<RunResult | BenchReport> {
    const id = this.nextId++;
    let pending!: Pending;
    const result = new Promise<RunResult | BenchReport>((resolve, reject) => {
      pending = { id, job, listeners: new Set(), resolve, reject };
    });
    if (onProgress) pending.listeners.add(onProgress);
    this.queue.push(pending);
    if (this.active)
      this.emit(pending, {
        stage: 'queued',
        fraction: 0,
        message: 'waiting for the run before it',
      });
    this.pump();
    return {
      id,
      result,
      onProgress: (listener) => {
        pending.listeners.add(listener);
        return () => pending.listeners.delete(listener);
      },
      cancel: () => this.cancel(pending),
    };
  }

  private emit(p: Pending, progress: RunProgress): void {
    for (const listener of p.listeners) listener(progress);
  }

  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    this.active = next;
    try {
      this.ensureWorker().postMessage({ type: 'start', id: next.id, job: next.job });
    } catch (err) {
      this.finish(next, {
        kind: 'worker-crash',
        message: `the evaluation worker could not start: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.makeWorker();
    worker.addEventListener('message', (event) => {
      if (worker === this.worker) this.onMessage(event.data);
    });
    const crashed = (what: string) => (event: Event) => {
      if (worker !== this.worker) return;
      const detail = (event as ErrorEvent).message;
      this.killWorker();
      const p = this.active;
      if (p) {
        this.finish(p, {
          kind: 'worker-crash',
          message: `the evaluation worker ${what}${detail ? `: ${detail}` : ''}`,
          fallback: 'wasm',
        });
      }
    };
    worker.addEventListener('error', crashed('crashed'));
    worker.addEventListener('messageerror', crashed('sent a message that could not be read'));
    this.worker = worker;
    return worker;
  }

  private killWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    w?.terminate();
  }

  private onMessage(msg: FromWorker): void {
    const p = this.active;
    if (!p || msg.id !== p.id) return;
    switch (msg.type) {
      case 'progress':
        this.emit(p, msg.progress);
        break;
      case 'done':
        this.settle(p);
        p.resolve(msg.result);
        break;
      case 'cancelled':
        this.finish(p, { kind: 'cancelled', message: 'the run was cancelled' });
        break;
      case 'failed':
        if (RESTART_AFTER.includes(msg.failure.kind)) this.killWorker();
        this.finish(p, msg.failure);
        break;
    }
  }

  private cancel(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      p.reject(
        new RunError({ kind: 'cancelled', message: 'the run was cancelled before it started' }),
      );
      return;
    }
    if (this.active !== p || p.cancelTimer) return;
    this.worker?.postMessage({ type: 'cancel', id: p.id });
    // A GPU kernel cannot be interrupted; if the worker does not get back to its message
    // loop in time, kill it (the next job starts a new one).
    p.cancelTimer = setTimeout(() => {
      if (this.active !== p) return;
      this.killWorker();
      this.finish(p, {
        kind: 'cancelled',
        message: 'the run was cancelled (its worker was stopped)',
      });
    }, this.cancelGraceMs);
  }

  private settle(p: Pending): void {
    if (p.cancelTimer) clearTimeout(p.cancelTimer);
    if (this.active === p) this.active = undefined;
    queueMicrotask(() => this.pump());
  }

  private finish(p: Pending, failure: RunFailure): void {
    this.settle(p);
    p.reject(new RunError(failure));
  }
}

let shared: RunService | undefined;

/** The app's run service, with its worker made on first use. */
export function runService(): RunService {
  shared ??= new RunService(
    () =>
      new Worker(new URL('./worker.ts', import.meta.url), {
        type: 'module',
        name: 'einsketch-run',
      }) as WorkerLike,
  );
  return shared;
}

/** Evaluates a network in the shared worker (see RunService). */
export function startRun(
  config: RunConfig,
  onProgress?: (p: RunProgress) => void,
): RunHandle<RunResult> {
  return runService().startRun(config, onProgress);
}

/** Runs the benchmark layer suite in the shared worker. */
export function startBench(
  config: BenchJobConfig,
  onProgress?: (p: RunProgress) => void,
): RunHandle<BenchReport> {
  return runService().startBench(config, onProgress);
}

export type { BenchJobConfig, BenchReport, RunConfig, RunFailure, RunProgress, RunResult };
