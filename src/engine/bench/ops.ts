import type { OpName } from '../../core/ops/index.ts';

/**
 * The five operations the benchmark suite times, by their short command-line names, and
 * the library operation (the core's op name) each one evaluates.
 */
export type BenchOp = 'forward' | 'input_vjp' | 'weight_vjp' | 'kfc' | 'kfac_reduce';

export const BENCH_OPS: readonly BenchOp[] = [
  'forward',
  'input_vjp',
  'weight_vjp',
  'kfc',
  'kfac_reduce',
];

export const BENCH_OP_NAMES = {
  forward: 'conv_forward',
  input_vjp: 'conv_input_vjp',
  weight_vjp: 'conv_weight_vjp',
  kfc: 'kfc',
  kfac_reduce: 'kfac_reduce',
} as const satisfies Record<BenchOp, OpName>;

/** The short name of a core op that the suite benchmarks, if it is one. */
export function benchOpOf(op: OpName): BenchOp | undefined {
  return BENCH_OPS.find((b) => BENCH_OP_NAMES[b] === op);
}

/** Parses a comma-separated list of short op names, with a one-line error for a bad one. */
export function parseBenchOps(list: readonly string[]): BenchOp[] {
  for (const op of list)
    if (!BENCH_OPS.includes(op as BenchOp))
      throw new Error(`unknown op '${op}' (known: ${BENCH_OPS.join(', ')})`);
  return list as BenchOp[];
}
