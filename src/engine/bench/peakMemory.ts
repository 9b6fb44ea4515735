import * as tf from '@tensorflow/tfjs-core';
import type { TimedSide } from './timing.ts';

/**
 * One more run of a side under tf.profile, for its memory and its values. The extra
 * memory is what the computation needs beyond its inputs and its result: the peak of
 * tfjs's live bytes during the run, less what was live before it (the inputs and anything
 * else), less the result, plus what the side keeps allocated between runs (an
 * executable's constant tables, counted by the caller as `residentBytes`).
 */
export interface ProfiledRun {
  /** The result, copied off the device (a backend may reuse its buffer). */
  data: Float32Array;
  shape: number[];
  /** Peak bytes allocated by the run beyond what existed before it (result included). */
  peakBytes: number;
  /** peakBytes + residentBytes − result bytes. */
  extraBytes: number;
}

export async function profiledRun(side: TimedSide, residentBytes = 0): Promise<ProfiledRun> {
  const before = tf.memory().numBytes;
  let out: tf.Tensor | undefined;
  let sampled = 0;
  const info = await tf.profile(() => {
    if (side.runTrackingPeak) ({ result: out, peakBytes: sampled } = side.runTrackingPeak());
    else out = side.run();
    return out;
  });
  const result = out!;
  try {
    const data = Float32Array.from(await result.data());
    // tf.profile's peak covers tfjs kernels only; a side running its own kernels samples
    // its peak itself, and the result alone is a floor.
    const highest = Math.max(info.peakBytes, sampled, tf.memory().numBytes);
    const peakBytes = Math.max(0, highest - before);
    const resultBytes = result.size * 4;
    return {
      data,
      shape: [...result.shape],
      peakBytes,
      extraBytes: Math.max(0, peakBytes + residentBytes - resultBytes),
    };
  } finally {
    result.dispose();
  }
}
