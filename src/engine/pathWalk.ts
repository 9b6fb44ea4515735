import { fail } from '../core/errors.ts';
import type { LinearPath } from '../core/planner/index.ts';
import { simulateMemory } from './programMemory.ts';
import type { Program, StepLowering } from './program.ts';

/**
 * The walk along a linear contraction path that both lowerings share (to tfjs ops in
 * lower.ts, to generated kernels in webgpu/): each operand first sums what nothing else
 * needs, each step contracts its group pairwise (keeping the legs later members, other
 * operands and the output need), and whatever the path leaves over is contracted in order.
 */
export interface PathWalker<Op> {
  legsOf(op: Op): string[];
  /** Sums the legs of `op` that nothing in `needed` refers to. */
  reduceAlone(op: Op, needed: ReadonlySet<string>): Op;
  contractPair(a: Op, b: Op, keep: ReadonlySet<string>): Op;
  /** Called before each path step (`path.length` for the leftovers); returns that step's kernel kinds when it ends. */
  beginStep(step: number): () => string[];
}

export function walkPath<Op>(
  w: PathWalker<Op>,
  operands: Op[],
  path: LinearPath,
  output: readonly string[],
): { last: Op | undefined; steps: StepLowering[] } {
  let current = operands;
  const needed = (except: number[]): Set<string> => {
    const s = new Set(output);
    current.forEach((op, pos) => {
      if (!except.includes(pos)) for (const l of w.legsOf(op)) s.add(l);
    });
    return s;
  };
  current = current.map((op, pos) => w.reduceAlone(op, needed([pos])));
  const steps: StepLowering[] = [];
  path.forEach((group, s) => {
    if (
      !group.length ||
      group.some((p) => !Number.isInteger(p) || p < 0 || p >= current.length) ||
      new Set(group).size !== group.length
    ) {
      fail(`invalid path step ${s + 1} [${group.join(', ')}] for ${current.length} operands`);
    }
    const end = w.beginStep(s);
    const outside = needed(group);
    const ops = group.map((p) => current[p]);
    let acc = ops.length === 1 ? w.reduceAlone(ops[0], outside) : ops[0];
    for (let j = 1; j < ops.length; j++) {
      const keep = new Set(outside);
      for (const later of ops.slice(j + 1)) for (const l of w.legsOf(later)) keep.add(l);
      acc = w.contractPair(acc, ops[j], keep);
    }
    steps.push({
      step: s,
      operands: [...group],
      kinds: [...new Set(end())],
      result: w.legsOf(acc),
    });
    current = current.filter((_, p) => !group.includes(p));
    current.push(acc);
  });
  const end = w.beginStep(path.length);
  while (current.length > 1) {
    const [a, b, ...rest] = current;
    const keep = new Set(output);
    for (const op of rest) for (const l of w.legsOf(op)) keep.add(l);
    current = [w.contractPair(a, b, keep), ...rest];
  }
  const leftover = end();
  if (leftover.length)
    steps.push({
      step: path.length,
      operands: [],
      kinds: [...new Set(leftover)],
      result: [...output],
    });
  return { last: current[0], steps };
}

/** A lowering's instructions as a Program, with its memory simulated. */
export function assembleProgram(fields: Omit<Program, 'peakBytes' | 'largestAllocation'>): Program {
  const program: Program = { ...fields, peakBytes: 0, largestAllocation: { bytes: 0, step: -1 } };
  const mem = simulateMemory(program);
  program.peakBytes = mem.peakBytes;
  program.largestAllocation = mem.largest;
  return program;
}
