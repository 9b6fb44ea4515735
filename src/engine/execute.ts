import * as tf from '@tensorflow/tfjs-core';
import { fail } from '../core/errors.ts';
import { lastUses, readsOf } from './memory.ts';
import { sizeOf, type Program } from './program.ts';

/**
 * Runs a compiled Program on the active tfjs backend. Constants (index tables, dense Π/δ)
 * are uploaded once when the Executable is made, so repeated runs (benchmarks, the UI's
 * re-evaluation) pay only for the contraction. Every intermediate is disposed right after
 * its last use, and the whole run sits in tf.tidy so an exception leaks nothing either.
 */

/** An input as the CLI and core give it ({shape, data}, row-major), or a tfjs tensor. */
export type EngineInput = tf.Tensor | { shape: readonly number[]; data: ArrayLike<number> };
export type EngineInputs = Record<string, EngineInput>;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export class Executable {
  private constants: tf.Tensor[] | undefined;
  private readonly last: number[];

  constructor(readonly program: Program) {
    this.constants = program.constants.map((c) => tf.tensor(c.data, c.shape, c.dtype));
    this.last = lastUses(program);
  }

  /** The result as a new float32 tensor in the network's result shape (the caller owns it). */
  run(inputs: EngineInputs): tf.Tensor {
    const constants = this.constants;
    if (!constants) throw new Error('engine: executable used after dispose()');
    const { program, last } = this;
    return tf.tidy(() => {
      const values: (tf.Tensor | undefined)[] = new Array(program.values.length);
      const keep = new Set<number>();
      program.instrs.forEach((instr, at) => {
        let out: tf.Tensor;
        switch (instr.op) {
          case 'input': {
            const given = inputs[instr.source];
            const shape = program.inputs[instr.source];
            if (!given) fail(`no input '${instr.source}'`);
            if (given instanceof tf.Tensor) {
              if (!sameShape(given.shape, shape)) {
                fail(`input '${instr.source}' has shape [${given.shape.join(', ')}], compiled for [${shape.join(', ')}]`);
              }
              if (given.dtype === 'float32') {
                out = given;
                keep.add(instr.out);
              } else {
                out = tf.cast(given, 'float32');
              }
            } else {
              if (!sameShape(given.shape, shape)) {
                fail(`input '${instr.source}' has shape [${given.shape.join(', ')}], compiled for [${shape.join(', ')}]`);
              }
              if (given.data.length !== sizeOf(shape)) {
                fail(`input '${instr.source}' has ${given.data.length} values but shape [${shape.join(', ')}] needs ${sizeOf(shape)}`);
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
            const paddings = x.shape.map((_, a): [number, number] => (a === instr.axis ? [0, instr.after] : [0, 0]));
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
          case 'sum':
            out = tf.sum(values[instr.x]!, instr.axes);
            break;
          case 'scale':
            out = tf.mul(values[instr.x]!, tf.scalar(instr.value, 'float32'));
            break;
          case 'broadcast':
            out = tf.broadcastTo(values[instr.x]!, program.values[instr.out].shape);
            break;
        }
        const want = program.values[instr.out].shape;
        if (!sameShape(out.shape, want)) {
          throw new Error(`engine: ${instr.op} made [${out.shape.join(', ')}], lowering expected [${want.join(', ')}]`);
        }
        values[instr.out] = out;
        // Free what was read for the last time (never constants or borrowed inputs).
        for (const v of readsOf(instr)) {
          if (last[v] === at && v !== program.output && !keep.has(v)) {
            values[v]!.dispose();
            values[v] = undefined;
          }
        }
      });
      return values[program.output]!;
    });
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
