import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerOpInput, type LayerConfig } from '../../src/core/layer.ts';
import { getOperation, type OpName } from '../../src/core/ops/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import { compileNetwork } from '../../src/engine/evaluate.ts';
import { Executable } from '../../src/engine/execute.ts';
import { checkProgramBudget } from '../../src/engine/programMemory.ts';
import { selectNodeBackend } from '../../src/engine/node.ts';
import { sizeOf } from '../../src/engine/program.ts';
import { randomTensor } from '../helpers/random.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

const layer: LayerConfig = {
  batch: 2,
  inChannels: 6,
  outChannels: 8,
  input: [11, 13],
  kernel: [3, 3],
  stride: [2, 1],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

function compiled(op: OpName, l: LayerConfig = layer) {
  const input = layerOpInput(op, l);
  const net = getOperation(op).build(input);
  return { net, input, ...compileNetwork(net, input.shapes) };
}

describe('lowering', () => {
  it('turns every Π of a convolution into an index table, never a dense 0/1 array', () => {
    for (const op of ['conv_forward', 'conv_input_vjp', 'conv_weight_vjp', 'kfc'] as const) {
      const { program } = compiled(op);
      expect(
        program.instrs.some((i) => i.op === 'gather'),
        op,
      ).toBe(true);
      // Every constant is an int32 index table; none is a float 0/1 pattern.
      expect(
        program.constants.every((c) => c.dtype === 'int32'),
        op,
      ).toBe(true);
      // No matmul sums over an input leg of Π (inner size 11 or 13 would be I).
      for (const instr of program.instrs) {
        if (instr.op !== 'matmul') continue;
        const a = program.values[instr.a].shape;
        const inner = instr.transposeA ? a[1] : a[2];
        expect([11, 13], op).not.toContain(inner);
      }
    }
  });

  it('produces the unfolded input of a convolution once, already laid out for the matmul', () => {
    const { program } = compiled('conv_forward');
    const gathers = program.instrs.filter((i) => i.op === 'gather');
    const transposes = program.instrs.filter((i) => i.op === 'transpose');
    expect(gathers).toHaveLength(1);
    // Transposes touch the input (before the gather) and the result, not the unfolded tensor.
    const unfolded = sizeOf(program.values[gathers[0].out].shape);
    for (const t of transposes) expect(sizeOf(program.values[t.x].shape)).toBeLessThan(unfolded);
  });

  it('KFAC-reduce sums over o before anything meets the other copy: nothing larger than input or result', () => {
    const l: LayerConfig = {
      ...layer,
      inChannels: 8,
      outChannels: 8,
      groups: 8,
      input: [16, 16],
      kernel: [7, 7],
      stride: [1, 1],
      padding: [3, 3],
    };
    const { program, input } = compiled('kfac_reduce', l);
    const xBytes = sizeOf(input.shapes.x) * 4;
    const resultBytes = sizeOf(program.resultShape) * 4;
    const constants = program.constants.reduce((a, c) => a + sizeOf(c.shape) * 4, 0);
    expect(program.largestAllocation.bytes).toBeLessThanOrEqual(Math.max(xBytes, resultBytes));
    // No unfolded input (K = 49 times x) ever exists, and the scale needs no pass of its own.
    expect(program.peakBytes).toBeLessThanOrEqual(2 * xBytes + resultBytes + constants);
    expect(program.instrs.some((i) => i.op === 'scale')).toBe(false);
  });

  it('frees every intermediate: live tensors return to the start, memory stays near the simulated peak', async () => {
    for (const op of ['conv_forward', 'conv_weight_vjp', 'kfc', 'kfac_reduce'] as const) {
      const { program, net, input } = compiled(op);
      const host = Object.fromEntries(
        Object.entries(input.shapes).map(([k, s], j) => [k, randomTensor(s, j + 1)]),
      );
      const exe = new Executable(program);
      const inputs = Object.fromEntries(
        Object.entries(host).map(([k, t]) => [k, tf.tensor(Float32Array.from(t.data), t.shape)]),
      );
      const before = tf.memory();
      let out: tf.Tensor | undefined;
      const profile = await tf.profile(() => {
        out = exe.run(inputs);
      });
      const after = tf.memory();
      // Only the result is new.
      expect(after.numTensors - before.numTensors, op).toBe(1);
      expect(after.numBytes - before.numBytes, op).toBe(sizeOf(program.resultShape) * 4);
      // tfjs's peak counts what was live before (inputs, tables) plus what the run holds;
      // kernels' own scratch may add to it, so only an upper bound is asserted.
      const heldByRun = profile.peakBytes - before.numBytes;
      expect(heldByRun, op).toBeLessThanOrEqual(2 * program.peakBytes);
      const expected = evaluateReference(net, host);
      const got = await out!.data();
      const scale = Math.max(...Array.from(expected.data, Math.abs));
      expect(
        Math.max(...Array.from(got, (v, j) => Math.abs(v - expected.data[j]))) / scale,
        op,
      ).toBeLessThan(1e-5);
      out!.dispose();
      for (const t of Object.values(inputs)) t.dispose();
      exe.dispose();
      expect(tf.memory().numTensors).toBe(
        before.numTensors - Object.keys(inputs).length - program.constants.length,
      );
    }
  });

  it('keeps every kernel at rank ≤ 6 (tfjs-webgpu limit), even for 3-d grouped Kronecker factors', () => {
    const l3: LayerConfig = {
      ...layer,
      input: [5, 6, 7],
      kernel: [2, 3, 2],
      stride: [1, 2, 1],
      padding: [1, 1, 0],
      dilation: [1, 1, 2],
    };
    for (const op of [
      'conv_forward',
      'conv_input_vjp',
      'conv_weight_vjp',
      'kfc',
      'kfac_reduce',
    ] as const) {
      const { program } = compiled(op, l3);
      for (const instr of program.instrs) {
        if (instr.op === 'reshape' || instr.op === 'input' || instr.op === 'const') continue;
        expect(program.values[instr.out].shape.length, `${op} ${instr.op}`).toBeLessThanOrEqual(6);
      }
    }
  });

  it('sums a short leg over many outputs as chunked adds of slices (no AddN of more than 4)', async () => {
    // t[a, b] summed over a (20 entries) for 4096 outputs: a short sum, 20 slices.
    const net = {
      sizes: { a: 20, b: 4096 },
      tensors: [
        {
          id: 't',
          label: 't',
          kind: 'data' as const,
          source: 't',
          transforms: [],
          legs: ['b', 'a'],
        },
      ],
      output: ['b'],
      resultShape: [4096],
    };
    const host = { t: randomTensor([4096, 20], 5) };
    const { program } = compileNetwork(net, { t: [4096, 20] }, { plan: { path: [[0]] } as never });
    const sum = program.instrs.find((i) => i.op === 'sum');
    expect(sum && program.values[sum.x].shape).toEqual([20, 4096]);
    const exe = new Executable(program);
    let out: tf.Tensor | undefined;
    const info = await tf.profile(() => {
      out = exe.run(host);
      return out;
    });
    const got = await out!.data();
    out!.dispose();
    exe.dispose();
    const expected = evaluateReference(net, host);
    expect(Math.max(...Array.from(got, (v, j) => Math.abs(v - expected.data[j])))).toBeLessThan(
      1e-5,
    );
    const adds = info.kernels.filter((k) => k.name === 'AddN');
    expect(adds.length).toBeGreaterThan(0);
    for (const k of adds) expect(k.inputShapes.length).toBeLessThanOrEqual(4);
  });

  it('refuses before allocating, naming the step', () => {
    const { program } = compiled('kfc');
    expect(() => checkProgramBudget(program, 4096)).toThrow(
      /memory budget of 4.00 KiB exceeded at (path step \d+ of \d+ \(contracting operands \[[\d, ]+\]\)|preparing the operands): it allocates \[[\d, ]+\] = \d+ float32 values/,
    );
    expect(() => checkProgramBudget(program, program.peakBytes)).not.toThrow();
    expect(() => checkProgramBudget(program, program.peakBytes - 1)).toThrow(/memory budget/);
  });
});
