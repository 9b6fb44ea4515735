import type * as tf from '@tensorflow/tfjs-core';

/**
 * Times several ways of computing the same thing fairly against each other: every side is
 * warmed up first (shader compilation and first uploads of every shape, untimed), then the
 * timed runs go in interleaved rounds (A, B, A, B, …) so that machine noise (another
 * process, thermal state) hits all sides alike; each run is synchronised the same way,
 * by awaiting its result's data, and the median of the runs is reported.
 */

export interface TimedSide {
  name: string;
  /** One run: a new tensor the caller owns (it is read back, then disposed). */
  run(): tf.Tensor;
  /** One run that also reports tfjs's live bytes at their highest, where tf.profile cannot see them. */
  runTrackingPeak?(): { result: tf.Tensor; peakBytes: number };
}

/** Error scopes of the device (WebGPU): a failed kernel would otherwise leave stale data. */
export interface DeviceErrorScope {
  begin(): void;
  /** The first error since begin(), if any. */
  end(): Promise<string | undefined>;
}

export interface RoundsConfig {
  runs: number;
  warmup: number;
  /** A side whose last warm-up run took longer than this is not timed. */
  maxRunMs: number;
  deviceErrors?: DeviceErrorScope;
  /**
   * Called after every run with how many are done and which side ran; may throw to
   * abandon the measurement (the app's cancel), and is awaited so a caller can yield.
   */
  onRun?: (done: number, total: number, side: number) => void | Promise<void>;
}

export type SideTiming = { runsMs: number[]; medianMs: number } | { skipped: string };

export function median(xs: readonly number[]): number {
  if (!xs.length) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs a side once inside the device's error scope; returns its time (ms). */
export async function timeOnce(
  side: TimedSide,
  scope: DeviceErrorScope | undefined,
): Promise<number> {
  scope?.begin();
  let ms = 0;
  let failure: unknown;
  try {
    const t0 = performance.now();
    const out = side.run();
    await out.data();
    ms = performance.now() - t0;
    out.dispose();
  } catch (err) {
    failure = err;
  }
  // The scope is closed whatever happened; a device error explains a failure best.
  const deviceError = await scope?.end();
  if (deviceError)
    throw new Error(`${side.name}: device error: ${deviceError.split('\n')[0]}`, {
      cause: failure,
    });
  if (failure !== undefined) throw failure;
  return ms;
}

/** The order of the runs: all warm-ups side by side, then `runs` rounds of every side. */
export function runOrder(
  sides: number,
  warmup: number,
  runs: number,
): [number, 'warmup' | 'timed'][] {
  const order: [number, 'warmup' | 'timed'][] = [];
  for (let w = 0; w < warmup; w++) for (let s = 0; s < sides; s++) order.push([s, 'warmup']);
  for (let r = 0; r < runs; r++) for (let s = 0; s < sides; s++) order.push([s, 'timed']);
  return order;
}

export async function timeInterleaved(
  sides: readonly TimedSide[],
  cfg: RoundsConfig,
): Promise<SideTiming[]> {
  const order = runOrder(sides.length, cfg.warmup, cfg.runs);
  const lastWarm = sides.map(() => 0);
  const runsMs: number[][] = sides.map(() => []);
  let done = 0;
  let checkedWarm = cfg.warmup === 0;
  const skipped = (s: number) => checkedWarm && lastWarm[s] > cfg.maxRunMs;
  for (const [s, kind] of order) {
    if (kind === 'timed') checkedWarm = true;
    if (kind === 'timed' && skipped(s)) {
      done++;
      continue;
    }
    const ms = await timeOnce(sides[s], cfg.deviceErrors);
    if (kind === 'warmup') lastWarm[s] = ms;
    else runsMs[s].push(ms);
    await cfg.onRun?.(++done, order.length, s);
  }
  return sides.map((side, s) =>
    skipped(s)
      ? {
          skipped: `${side.name}: one run took ${(lastWarm[s] / 1000).toFixed(1)} s, over the ${(cfg.maxRunMs / 1000).toFixed(0)} s limit; not timed`,
        }
      : { runsMs: runsMs[s], medianMs: median(runsMs[s]) },
  );
}
