import * as tf from '@tensorflow/tfjs-core';
import { fail } from '../core/errors.ts';
import { lastUses, readsOf } from './programMemory.ts';
import { isShortSum, sizeOf, type Program } from './program.ts';
import { runGeneratedKernel, runPhasedKernels } from './webgpu/runKernel.ts';
import { sameShape } from '../core/tensor.ts';

/**
 * Runs a compiled Program on the active tfjs backend. Constants (index tables, dense Π/δ)
 * are uploaded once when the Executable is made, so repeated runs (benchmarks, the UI's
 * re-evaluation) pay only for the contraction. Every intermediate is disposed right after
 * its last use, and the whole run sits in tf.tidy so an exception leaks nothing either.
 */

/** An input as the CLI and core give it ({shape, data}, row-major), or a tfjs tensor. */
export type EngineInput = tf.Tensor | { shape: readonly number[]; data: ArrayLike<number> };
export type EngineInputs = Record<string, EngineInput>;

export class Executable {
  private constants: tf.Tensor[] | undefined;
  private readonly last: number[];
  /** Live bytes at their highest in the current runTrackingPeak(); undefined in run(). */
  private peak: number | undefined;

  constructor(readonly program: Program) {
    this.constants = program.constants.map((c) => tf.tensor(c.data, c.shape, c.dtype));
    this.last = lastUses(program);
  }

  /** The result as a new float32 tensor in the network's result shape (the caller owns it). */
  run(inputs: EngineInputs): tf.Tensor {
    const state = this.begin();
    return tf.tidy(() => {
      this.program.instrs.forEach((instr, at) => this.step(state, inputs, instr, at));
      return state.values[this.program.output]!;
    });
  }

  /**
   * run(), also reporting tfjs's live bytes at their highest, sampled at every instruction
   * (tf.profile sees only tfjs kernels, not the generated WebGPU kernels). For the one
   * profiled run of a measurement; timed runs do not sample.
   */
  runTrackingPeak(inputs: EngineInputs): { result: tf.Tensor; peakBytes: number } {
    this.peak = tf.memory().numBytes;
    try {
      const result = this.run(inputs);
      return { result, peakBytes: this.peak };
    } finally {
      this.peak = undefined;
    }
  }

  /**
   * Runs instruction by instruction, waiting for each to finish (a one-element read of its
   * output: the device queue runs in order), and reports how long each took. Slower than
   * run(); for finding where the time goes.
   */
  async profile(
    inputs: EngineInputs,
  ): Promise<{ op: string; shape: number[]; step: number; ms: number }[]> {
    const state = this.begin();
    const times: { op: string; shape: number[]; step: number; ms: number }[] = [];
    try {
      for (const [at, instr] of this.program.instrs.entries()) {
        const t0 = performance.now();
        const out = tf.tidy(() => this.step(state, inputs, instr, at));
        tf.keep(out);
        const probe = tf.tidy(() => tf.slice(tf.reshape(out, [-1]), 0, Math.min(1, out.size)));
        await probe.data();
        probe.dispose();
        const info = this.program.values[instr.out];
        times.push({
          op: instr.op,
          shape: info.shape,
          step: info.step,
          ms: performance.now() - t0,
        });
      }
    } finally {
      state.values.forEach((t, v) => {
        if (t && !state.keep.has(v)) t.dispose();
      });
    }
    return times;
  }

  private begin(): {
    values: (tf.Tensor | undefined)[];
    keep: Set<number>;
    constants: tf.Tensor[];
  } {
    const constants = this.constants;
    if (!constants) throw new Error('engine: executable used after dispose()');
    return { values: new Array(this.program.values.length), keep: new Set<number>(), constants };
  }

  /** Executes one instruction, frees what it read for the last time, returns its output. */
  private step(
    state: { values: (tf.Tensor | undefined)[]; keep: Set<number>; constants: tf.Tensor[] },
    inputs: EngineInputs,
    instr: Program['instrs'][number],
    at: number,
  ): tf.Tensor {
    const { program, last } = this;
    const { values, keep, constants } = state;
    let out: tf.Tensor;
    switch (instr.op) {
      case 'input': {
        const given = inputs[instr.source];
        const shape = program.inputs[instr.source];
        if (!given) fail(`no input '${instr.source}'`);
        if (given instanceof tf.Tensor) {
          if (!sameShape(given.shape, shape)) {
            fail(
              `input '${instr.source}' has shape [${given.shape.join(', ')}], compiled for [${shape.join(', ')}]`,
            );
          }
          if (given.dtype === 'float32') {
            out = given;
            keep.add(instr.out);
          } else {
            out = tf.cast(given, 'float32');
          }
        } else {
          if (!sameShape(given.shape, shape)) {
            fail(
              `input '${instr.source}' has shape [${given.shape.join(', ')}], compiled for [${shape.join(', ')}]`,
            );
          }
          if (given.data.length !== sizeOf(shape)) {
            fail(
              `input '${instr.source}' has ${given.data.length} values but shape [${shape.join(', ')}] needs ${sizeOf(shape)}`,
            );
          }
          out = tf.tensor(Float32Array.from(given.data), [...shape], 'float32');
        }
        break;
      }
      case 'const':
        out = constants[instr.constant];
        keep.add(instr.out);
        break;
      case 'reshape':
        out = tf.reshape(values[instr.x]!, program.values[instr.out].shape);
        break;
      case 'transpose':
        out = tf.transpose(values[instr.x]!, instr.perm);
        break;
      case 'slice':
        out = tf.stridedSlice(values[instr.x]!, instr.begin, instr.end, instr.strides);
        break;
      case 'pad': {
        const x = values[instr.x]!;
        const paddings = x.shape.map((_, a): [number, number] =>
          a === instr.axis ? [0, instr.after] : [0, 0],
        );
        out = tf.pad(x, paddings);
        break;
      }
      case 'gather':
        out = tf.gather(values[instr.x]!, values[instr.indices]! as tf.Tensor1D, instr.axis);
        break;
      case 'matmul':
        out = tf.matMul(values[instr.a]!, values[instr.b]!, instr.transposeA, instr.transposeB);
        break;
      case 'mul':
        out = tf.mul(values[instr.a]!, values[instr.b]!);
        break;
      case 'sum': {
        const x = values[instr.x]!;
        const want = program.values[instr.out].shape;
        if (isShortSum(x.shape, instr.axes) && instr.axes.every((a, j) => a === j)) {
          // Leading block of few entries: their slices added in one AddN kernel.
          const s = instr.axes.reduce((p, a) => p * x.shape[a], 1);
          out = tf.tidy(() => {
            let parts = tf.split(tf.reshape(x, [s, -1]), s, 0);
            // At most 4 per AddN: WebGPU binds each input as a storage buffer and allows
            // only 8 per shader (maxStorageBuffersPerShaderStage); more fails validation.
            while (parts.length > 1) {
              const next: tf.Tensor[] = [];
              for (let j = 0; j < parts.length; j += 4) {
                const chunk = parts.slice(j, j + 4);
                next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
              }
              parts = next;
            }
            return tf.reshape(parts[0], want);
          });
        } else {
          out = tf.sum(x, instr.axes);
        }
        break;
      }
      case 'scale':
        out = tf.mul(values[instr.x]!, tf.scalar(instr.value, 'float32'));
        break;
      case 'broadcast':
        out = tf.broadcastTo(values[instr.x]!, program.values[instr.out].shape);
        break;
      case 'kernel':
        out = runGeneratedKernel(
          instr.kernel,
          instr.inputs.map((v) => values[v]!),
          program.values[instr.out].shape,
        );
        break;
      case 'phased':
        out = runPhasedKernels(
          instr.phases.map((p) => p.kernel),
          instr.zeroFill,
          instr.inputs.map((v) => values[v]!),
          program.values[instr.out].shape,
        );
        break;
    }
    const want = program.values[instr.out].shape;
    if (!sameShape(out.shape, want)) {
      throw new Error(
        `engine: ${instr.op} made [${out.shape.join(', ')}], lowering expected [${want.join(', ')}]`,
      );
    }
    values[instr.out] = out;
    // Sampled while the step's operands and its output are both alive.
    if (this.peak !== undefined) this.peak = Math.max(this.peak, tf.memory().numBytes);
    // Free what was read for the last time (never constants or borrowed inputs).
    for (const v of readsOf(instr)) {
      if (last[v] === at && v !== program.output && !keep.has(v)) {
        values[v]!.dispose();
        values[v] = undefined;
      }
    }
    return out;
  }

  /** Runs and downloads the result as float64 (what the CLI and the reference use). */
  async runToHost(inputs: EngineInputs): Promise<{ shape: number[]; data: Float64Array }> {
    const out = this.run(inputs);
    try {
      return { shape: [...out.shape], data: Float64Array.from(await out.data()) };
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    for (const t of this.constants ?? []) t.dispose();
    this.constants = undefined;
  }
}
