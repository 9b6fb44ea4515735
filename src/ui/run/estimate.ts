import { errorMessage } from '../../core/errors.ts';
import { checkNetworkLimits } from '../../core/limits.ts';
import type { Network } from '../../core/network.ts';
import { checkMemoryBudget, planNetwork } from '../../core/planner/index.ts';
import type { BackendName } from '../../engine/backend.ts';

/**
 * How long a run will take, told before it starts: the planned FLOPs of every run the job
 * makes, divided by the rate this device reached in earlier runs (remembered in the
 * browser per backend). A job longer than CONFIRM_ABOVE_SECONDS is started only when the
 * user says so. Also the editor's early warning: a network beyond the limits is named
 * while it is edited, not only when Run refuses it.
 */

export const CONFIRM_ABOVE_SECONDS = 10;

/**
 * FLOP/s assumed on a device that has not run anything yet: low on purpose (software
 * WebGPU adapters such as SwiftShader reach about this), so a first estimate errs long.
 */
export const ASSUMED_RATE: Record<BackendName, number> = {
  webgpu: 2e8,
  webgl: 2e8,
  wasm: 2e8,
  cpu: 5e7,
};

/** Runs shorter than this say more about fixed overheads than about the rate. */
const MIN_MEASURED_MS = 5;
const RATES_KEPT = 8;
const STORAGE_KEY = 'einsketch.runRates.v1';

export interface JobShape {
  /** Structured FLOPs (Π as gathers) of the network and, when timed too, of the unsimplified one. */
  flops: number;
  unsimplifiedFlops?: number;
  /** Whether tfjs's built-in is timed too (about the network's work again). */
  builtin: boolean;
  repeats: number;
  warmup: number;
}

export interface RunEstimate {
  seconds: number;
  /** FLOPs of the whole job. */
  flops: number;
  /** FLOP/s used, and whether it was measured on this device or assumed. */
  rate: number;
  basis: 'measured' | 'assumed';
}

/** FLOPs of a whole job: each timed part runs warmup + repeats times and once more for its result. */
export function jobFlops(job: JobShape): number {
  const runs = Math.max(0, job.warmup) + Math.max(1, job.repeats) + 1;
  return runs * (job.flops * (job.builtin ? 2 : 1) + (job.unsimplifiedFlops ?? 0));
}

type RateStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): RateStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function readRates(storage: RateStorage | undefined): Partial<Record<BackendName, number[]>> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Partial<Record<BackendName, number[]>> = {};
    for (const [name, list] of Object.entries(parsed)) {
      if (Array.isArray(list))
        out[name as BackendName] = list.filter(
          (r): r is number => typeof r === 'number' && r > 0 && Number.isFinite(r),
        );
    }
    return out;
  } catch {
    // A damaged entry only loses the remembered rates.
    return {};
  }
}

/** Remembers the rate of a finished run (FLOPs of one evaluation, its median time). */
export function recordRate(
  backend: BackendName,
  flops: number,
  medianMs: number,
  storage = browserStorage(),
): void {
  if (!(flops > 0) || !(medianMs >= MIN_MEASURED_MS) || !storage) return;
  const rates = readRates(storage);
  rates[backend] = [...(rates[backend] ?? []), flops / (medianMs / 1000)].slice(-RATES_KEPT);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(rates));
  } catch {
    // Storage full or refused: the estimate falls back to the assumed rate.
  }
}

/** Median of the rates remembered for `backend`, if any. */
export function measuredRate(backend: BackendName, storage = browserStorage()): number | undefined {
  const list = [...(readRates(storage)[backend] ?? [])].sort((a, b) => a - b);
  if (list.length === 0) return undefined;
  const mid = list.length >> 1;
  return list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2;
}

export function estimateJob(
  job: JobShape,
  backend: BackendName,
  storage = browserStorage(),
): RunEstimate {
  const flops = jobFlops(job);
  const measured = measuredRate(backend, storage);
  const rate = measured ?? ASSUMED_RATE[backend];
  return {
    seconds: flops / rate,
    flops,
    rate,
    basis: measured === undefined ? 'assumed' : 'measured',
  };
}

/** Planned structured FLOPs of a network (a quick plan, as the editor's plan panel makes). */
export function plannedFlops(network: Network, timeBudgetMs = 10): number {
  return planNetwork(network, { timeBudgetMs }).structuredFlops;
}

/** Why a network cannot run (beyond the limits or the memory budget), or undefined when it can. */
export function networkWarning(
  network: Network,
  budgetBytes: number,
  timeBudgetMs = 10,
): string | undefined {
  try {
    checkNetworkLimits(network);
    const plan = planNetwork(network, { timeBudgetMs });
    checkMemoryBudget(plan, network, budgetBytes);
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/** '3 s', '2 min 5 s', '1 h 4 min'. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Time left while a run goes on: from the progress so far once it says something, else
 * what the estimate leaves.
 */
export function remainingSeconds(
  elapsedMs: number,
  fraction: number,
  estimateSeconds?: number,
): number | undefined {
  if (fraction >= 0.1 && fraction < 1) return ((elapsedMs / 1000) * (1 - fraction)) / fraction;
  if (estimateSeconds !== undefined) return Math.max(0, estimateSeconds - elapsedMs / 1000);
  return undefined;
}
