import * as tf from '@tensorflow/tfjs-core';

/**
 * How einsketch times a tfjs computation, shared by the benchmark harness (bench/) and the
 * app's run panel so both report the same thing: `warmup` untimed runs (shader
 * compilation, first uploads), then `runs` timed runs, each synchronised with
 * `await t.data()`, reporting the median; one extra run under tf.profile for the peak
 * memory. Moved here from bench/harness.ts (which re-exports it) so the app can import it.
 */

export interface Measurement {
  name: string;
  medianMs: number;
  runsMs: number[];
  /** Largest bytes allocated by the computation beyond what existed before (tf.profile). */
  peakBytes: number;
}

export interface MeasureConfig {
  runs: number;
  warmup: number;
  /** Skip timing when the (last) warm-up run took longer than this. */
  maxRunMs: number;
  /**
   * Called after every run (warm-up, timed, profiled) with how many of them are done; may
   * throw to abandon the measurement (the app's cancel), and is awaited so a caller can
   * yield to its message loop between runs.
   */
  onRun?: (done: number, total: number) => void | Promise<void>;
}

/** Deterministic inputs in [−1, 1) (xorshift), so runs are comparable. */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let j = 0; j < size; j++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[j] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

const now = () => performance.now();

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs fn once and waits for its result; returns its duration. */
export async function once(fn: () => tf.Tensor): Promise<number> {
  const t0 = now();
  const out = fn();
  await out.data();
  const ms = now() - t0;
  out.dispose();
  return ms;
}

/** Times fn (see above); returns why it was not timed when a warm-up run took too long. */
export async function measure(
  name: string,
  fn: () => tf.Tensor,
  cfg: MeasureConfig,
): Promise<Measurement | string> {
  const total = cfg.warmup + cfg.runs + 1;
  let done = 0;
  const tick = async () => {
    done++;
    await cfg.onRun?.(done, total);
  };
  let warm = 0;
  for (let w = 0; w < cfg.warmup; w++) {
    warm = await once(fn);
    await tick();
  }
  if (warm > cfg.maxRunMs)
    return `${name}: one run took ${(warm / 1000).toFixed(1)} s, over the ${(cfg.maxRunMs / 1000).toFixed(0)} s limit; not timed`;
  const runsMs: number[] = [];
  for (let r = 0; r < cfg.runs; r++) {
    runsMs.push(await once(fn));
    await tick();
  }
  const before = tf.memory().numBytes;
  let out: tf.Tensor | undefined;
  const info = await tf.profile(() => {
    out = fn();
    return out;
  });
  await out!.data();
  out!.dispose();
  await tick();
  return { name, medianMs: median(runsMs), runsMs, peakBytes: info.peakBytes - before };
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
}
