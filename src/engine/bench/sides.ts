import * as tf from '@tensorflow/tfjs-core';
import { Executable } from '../execute.ts';
import type { Program } from '../program.ts';
import { runBuiltin, type Builtin } from './baselines.ts';
import { profiledRun } from './peakMemory.ts';
import { timeInterleaved, type RoundsConfig, type TimedSide } from './timing.ts';

/**
 * The measurement pipeline shared by `npm run bench`, the app's run panel and its
 * benchmark view: start every side (compile an executable, …), time them in interleaved
 * rounds, then one profiled run each for its peak extra memory and its result values.
 * Every side goes from the same PyTorch-layout inputs to the PyTorch-layout result.
 */

export interface Side {
  name: string;
  /** Allocates what the side keeps between runs (counted in its extra memory). */
  start(): TimedSide & { dispose(): void };
}

export interface Measurement {
  name: string;
  medianMs: number;
  runsMs: number[];
  /** Peak bytes allocated by one run beyond what existed before it (result included). */
  peakBytes: number;
  /** Peak memory beyond the inputs and the result, including what the side keeps allocated. */
  extraBytes: number;
}

export interface SideOutcome {
  name: string;
  measurement?: Measurement;
  /** Why the side was not timed. */
  skipped?: string;
  /** Its result in PyTorch layout (absent when not timed). */
  data?: Float32Array;
  shape?: number[];
}

/** The tensor network: an executable of the compiled program on the given inputs. */
export function networkSide(
  name: string,
  program: Program,
  inputs: Record<string, tf.Tensor>,
): Side {
  return {
    name,
    start() {
      const exe = new Executable(program);
      return {
        name,
        run: () => exe.run(inputs),
        runTrackingPeak: () => exe.runTrackingPeak(inputs),
        dispose: () => exe.dispose(),
      };
    },
  };
}

/** A built-in, layout conversions included. */
export function builtinSide(builtin: Builtin, inputs: Record<string, tf.Tensor>): Side {
  return {
    name: builtin.name,
    start: () => ({
      name: builtin.name,
      run: () => runBuiltin(builtin, inputs),
      dispose: () => {},
    }),
  };
}

export async function measureSides(
  sides: readonly Side[],
  cfg: RoundsConfig,
): Promise<SideOutcome[]> {
  const started: (TimedSide & { dispose(): void })[] = [];
  const resident: number[] = [];
  try {
    for (const side of sides) {
      const before = tf.memory().numBytes;
      started.push(side.start());
      resident.push(tf.memory().numBytes - before);
    }
    const timings = await timeInterleaved(started, cfg);
    const outcomes: SideOutcome[] = [];
    for (const [s, timing] of timings.entries()) {
      const name = sides[s].name;
      if ('skipped' in timing) {
        outcomes.push({ name, skipped: timing.skipped });
        continue;
      }
      // The device's error scope around the profiled run too: its values are compared.
      cfg.deviceErrors?.begin();
      let run: Awaited<ReturnType<typeof profiledRun>> | undefined;
      let failure: unknown;
      try {
        run = await profiledRun(started[s], resident[s]);
      } catch (err) {
        failure = err;
      }
      const deviceError = await cfg.deviceErrors?.end();
      if (deviceError) throw new Error(`${name}: device error: ${deviceError.split('\n')[0]}`);
      if (!run) throw failure;
      outcomes.push({
        name,
        measurement: {
          name,
          medianMs: timing.medianMs,
          runsMs: timing.runsMs,
          peakBytes: run.peakBytes,
          extraBytes: run.extraBytes,
        },
        data: run.data,
        shape: run.shape,
      });
    }
    return outcomes;
  } finally {
    for (const s of started) s.dispose();
  }
}
