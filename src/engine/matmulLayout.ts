/**
 * Choosing axis orders for one batched matrix product. A pairwise contraction only fixes
 * which indices are batch (B), summed (K) and kept from either side (M, N); any order
 * inside each block, and either operand transposed, gives the same product. The order
 * decides whether an operand needs a transpose pass first, so we pick the one that moves
 * the fewest elements, given what each operand can produce for free.
 */

export interface LayoutOperand {
  /** Elements moved to produce the operand with its axes in `order`. */
  cost(order: readonly string[]): number;
  /** Orders of the given legs that this operand would like (each a permutation of block). */
  candidates(block: readonly string[]): string[][];
}

export interface MatmulLayout {
  batch: string[];
  k: string[];
  m: string[];
  n: string[];
  transposeA: boolean;
  transposeB: boolean;
  /** Elements the chosen orders make us move (0: both operands used as they are). */
  cost: number;
}

function distinct(orders: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const o of orders) {
    const key = o.join('\u0000');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(o);
    }
  }
  return out;
}

/**
 * `result`, when given, is what the product's output [batch, M, N] costs to bring into
 * the order wanted next (the network's output order, for the last contraction).
 */
export function chooseMatmulLayout(
  a: LayoutOperand,
  b: LayoutOperand,
  blocks: { batch: string[]; k: string[]; m: string[]; n: string[] },
  result?: LayoutOperand,
  /** batch·M·N·K of the product: what a transposed operand read costs extra. */
  productSize = 0,
): MatmulLayout {
  const fromResult = (block: string[]) => (result ? result.candidates(block) : []);
  const batchOrders = distinct([
    ...a.candidates(blocks.batch),
    ...b.candidates(blocks.batch),
    ...fromResult(blocks.batch),
  ]);
  const kOrders = distinct([...a.candidates(blocks.k), ...b.candidates(blocks.k)]);
  const mOrders = distinct([...a.candidates(blocks.m), ...fromResult(blocks.m)]);
  const nOrders = distinct([...b.candidates(blocks.n), ...fromResult(blocks.n)]);
  // Without a summed block the product is an outer/Hadamard product done by broadcasting,
  // where the layouts are [B, M] and [B, N] and transposition means nothing.
  const flags = blocks.k.length ? [false, true] : [false];
  let best: MatmulLayout | undefined;
  for (const transposeA of flags) {
    for (const transposeB of flags) {
      for (const batch of batchOrders) {
        for (const k of kOrders) {
          for (const m of mOrders) {
            for (const n of nOrders) {
              const layoutA = transposeA ? [...batch, ...k, ...m] : [...batch, ...m, ...k];
              const layoutB = transposeB ? [...batch, ...n, ...k] : [...batch, ...k, ...n];
              // tfjs's matmul kernels (measured on WebGPU: bench --micro) run 2-3× slower
              // with transposeA / transposeB than on [B,M,K]·[B,K,N]; a transpose pass over
              // an operand is far cheaper than that, so flags are priced like half a product.
              const flags = (transposeA ? 1 : 0) + (transposeB ? 1 : 0);
              const cost =
                a.cost(layoutA) +
                b.cost(layoutB) +
                (result ? result.cost([...batch, ...m, ...n]) : 0) +
                (flags * productSize) / 2;
              // Ties go to the earlier candidate: no transposed flags, then A's own orders.
              if (!best || cost < best.cost)
                best = { batch, k, m, n, transposeA, transposeB, cost };
            }
          }
        }
      }
    }
  }
  return best!;
}

/** The legs of `order` whose size is not 1 (size-1 axes can move without moving data). */
export function nonUnit(
  order: readonly string[],
  sizes: Readonly<Record<string, number>>,
): string[] {
  return order.filter((l) => sizes[l] !== 1);
}

export function sameOrder(
  x: readonly string[],
  y: readonly string[],
  sizes: Readonly<Record<string, number>>,
): boolean {
  const a = nonUnit(x, sizes);
  const b = nonUnit(y, sizes);
  return a.length === b.length && a.every((l, i) => l === b[i]);
}

/** True if the non-unit legs of `group` stand next to each other in `order` (unit legs ignored). */
export function contiguous(
  group: readonly string[],
  order: readonly string[],
  sizes: Readonly<Record<string, number>>,
): boolean {
  const set = new Set(nonUnit(group, sizes));
  const seq = nonUnit(order, sizes);
  let first = -1;
  let last = -1;
  seq.forEach((l, i) => {
    if (set.has(l)) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 || last - first + 1 === set.size;
}
