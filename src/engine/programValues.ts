import { fail } from '../core/errors.ts';
import type { Constant, Dtype, Instr, ValueId, ValueInfo } from './program.ts';

/**
 * What both lowerings (tfjs ops: lowering/programBuilder.ts; generated WebGPU kernels:
 * webgpu/kernelLowering.ts) build a program from: its values with their shapes and the
 * path step that made them, its constants, its instructions, and the inputs it reads
 * (each once, however many tensors read it).
 */
export class ProgramValues {
  readonly instrs: Instr[] = [];
  readonly values: ValueInfo[] = [];
  readonly constants: Constant[] = [];
  readonly inputValues = new Map<string, ValueId>();
  /** The path step being lowered, recorded on every value it makes. */
  step = -1;
  /** What the current step's instructions do, for the step table. */
  kinds: string[] = [];

  constructor(readonly inputShapes: Readonly<Record<string, readonly number[]>>) {}

  value(shape: readonly number[], dtype: Dtype = 'float32'): ValueId {
    this.values.push({ shape: [...shape], dtype, step: this.step });
    return this.values.length - 1;
  }

  input(source: string): ValueId {
    const known = this.inputValues.get(source);
    if (known !== undefined) return known;
    const shape = this.inputShapes[source];
    if (!shape) fail(`no input '${source}'`);
    const out = this.value(shape);
    this.instrs.push({ op: 'input', out, source });
    this.inputValues.set(source, out);
    return out;
  }

  constant(dtype: Dtype, shape: readonly number[], data: Int32Array | Float32Array): ValueId {
    this.constants.push({ dtype, shape: [...shape], data });
    const out = this.value(shape, dtype);
    this.instrs.push({ op: 'const', out, constant: this.constants.length - 1 });
    return out;
  }
}
