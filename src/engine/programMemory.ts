import { fail } from '../core/errors.ts';
import { BYTES_PER_ELEMENT, sizeOf, type Instr, type Program, type ValueId } from './program.ts';
import { formatBytes } from '../core/formatBytes.ts';

/**
 * Memory accounting of a compiled program, done on shapes alone so that a request can be
 * refused before anything is allocated. It mirrors what the interpreter does: constants
 * live for the whole run, every other value is freed after its last use, and a reshape
 * shares the storage of its input (tfjs reference-counts the data).
 */

export function readsOf(instr: Instr): ValueId[] {
  switch (instr.op) {
    case 'input':
    case 'const':
      return [];
    case 'gather':
      return [instr.x, instr.indices];
    case 'matmul':
    case 'mul':
      return [instr.a, instr.b];
    case 'kernel':
    case 'phased':
      return instr.inputs;
    default:
      return [instr.x];
  }
}

/** Index of the last instruction reading each value (−1: never read). */
export function lastUses(program: Program): number[] {
  const last = new Array<number>(program.values.length).fill(-1);
  program.instrs.forEach((instr, at) => {
    for (const v of readsOf(instr)) last[v] = at;
  });
  return last;
}

export interface MemoryReport {
  peakBytes: number;
  largest: { bytes: number; step: number };
  /** First allocation that takes the live total over the budget, if a budget was given. */
  over?: { step: number; bytes: number; liveBytes: number; shape: number[] };
}

export function simulateMemory(program: Program, budgetBytes?: number): MemoryReport {
  const bytes = (v: ValueId) => sizeOf(program.values[v].shape) * BYTES_PER_ELEMENT;
  const last = lastUses(program);
  const root = new Array<number>(program.values.length).fill(-1);
  const refs = new Map<number, number>();
  let live = 0;
  for (const c of program.constants) live += sizeOf(c.shape) * BYTES_PER_ELEMENT;
  let peak = live;
  let largest = { bytes: 0, step: -1 };
  let over: MemoryReport['over'];
  const isConst = new Set(program.instrs.filter((i) => i.op === 'const').map((i) => i.out));
  program.instrs.forEach((instr, at) => {
    const out = instr.out;
    if (instr.op === 'reshape') {
      root[out] = root[instr.x];
    } else {
      root[out] = out;
      if (!isConst.has(out)) {
        const b = bytes(out);
        live += b;
        if (b > largest.bytes) largest = { bytes: b, step: program.values[out].step };
        if (budgetBytes !== undefined && live > budgetBytes && !over) {
          over = {
            step: program.values[out].step,
            bytes: b,
            liveBytes: live,
            shape: program.values[out].shape,
          };
        }
      }
    }
    if (root[out] >= 0) refs.set(root[out], (refs.get(root[out]) ?? 0) + 1);
    peak = Math.max(peak, live);
    // Free what this instruction read for the last time (and values nobody reads).
    const done = new Set(readsOf(instr).filter((v) => last[v] === at));
    if (last[out] < 0 && out !== program.output) done.add(out);
    for (const v of done) {
      if (v === program.output || isConst.has(root[v])) continue;
      const r = root[v];
      const n = (refs.get(r) ?? 1) - 1;
      refs.set(r, n);
      if (n === 0) live -= bytes(r);
    }
  });
  return { peakBytes: peak, largest, over };
}

/**
 * Refuses a program whose live memory would exceed `budgetBytes` at some point, naming
 * the path step that crosses it and the size of the allocation that does.
 */
export function checkProgramBudget(program: Program, budgetBytes: number): void {
  const { over } = simulateMemory(program, budgetBytes);
  if (!over) return;
  const steps = program.path.length;
  const where =
    over.step < 0
      ? 'preparing the operands'
      : over.step >= steps
        ? 'producing the result'
        : `path step ${over.step + 1} of ${steps} (contracting operands [${program.path[over.step].join(', ')}])`;
  fail(
    `memory budget of ${formatBytes(budgetBytes)} exceeded at ${where}: it allocates ` +
      `[${over.shape.join(', ')}] = ${sizeOf(over.shape)} float32 values (${formatBytes(over.bytes)}), ` +
      `${formatBytes(over.liveBytes)} live in total`,
  );
}
