import { fail } from './errors.ts';
import { product, type Network } from './network.ts';

/**
 * Resource limits, enforced before any allocation: input comes from strangers (links,
 * tutorials, uploads, typed equations) and the work runs on the user's machine.
 */
export const LIMITS = {
  /** Tensors in one network (the editor's load test draws 200). */
  maxTensors: 256,
  /** Legs on one tensor. */
  maxLegs: 24,
  /** Size of one index. */
  maxIndexSize: 1 << 24,
  /** Entries of one input or result tensor (2^27 float32 = 512 MiB). */
  maxElements: 1 << 27,
  /** Characters of an einsum equation. */
  maxEquationLength: 20_000,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

export function checkShapeLimits(
  shape: readonly number[],
  what: string,
  limits: Limits = LIMITS,
): void {
  if (shape.length > limits.maxLegs)
    fail(`${what} has ${shape.length} axes; the limit is ${limits.maxLegs}`);
  for (const size of shape) {
    if (size > limits.maxIndexSize)
      fail(`${what} has an axis of size ${size}; the limit is ${limits.maxIndexSize}`);
  }
  const elements = product(shape);
  if (elements > limits.maxElements) {
    fail(
      `${what} has ${elements} entries [${shape.join(', ')}]; the limit is ${limits.maxElements}`,
    );
  }
}

/** Counts and sizes of a network's tensors and result (not its intermediates: see the planner). */
export function checkNetworkLimits(net: Network, limits: Limits = LIMITS): void {
  if (net.tensors.length > limits.maxTensors) {
    fail(`the network has ${net.tensors.length} tensors; the limit is ${limits.maxTensors}`);
  }
  for (const t of net.tensors) {
    checkShapeLimits(
      t.legs.map((leg) => net.sizes[leg] ?? 1),
      `tensor ${t.label}`,
      limits,
    );
  }
  checkShapeLimits(
    net.output.map((leg) => net.sizes[leg] ?? 1),
    'the result',
    limits,
  );
}
