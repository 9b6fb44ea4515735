import { fail } from '../errors.ts';
import { seededUniform as uniform } from '../random.ts';

/** The dropout step's generator: the project's seeded generator, for an integer seed. */
export function seededUniform(seed: number): () => number {
  if (!Number.isInteger(seed)) fail(`a dropout seed must be an integer, got ${seed}`);
  return uniform(seed);
}

/** How many of `size` positions a keep fraction keeps: at least one. */
export function keptCount(size: number, keepFraction: number): number {
  if (!(keepFraction > 0 && keepFraction <= 1))
    fail(`the keep fraction must lie in (0, 1], got ${keepFraction}`);
  return Math.min(size, Math.max(1, Math.round(keepFraction * size)));
}

/**
 * `count` distinct positions of 0..size−1, every subset of that size equally likely
 * (the first `count` draws of a Fisher–Yates shuffle), in increasing order so a gather
 * reads memory forwards.
 */
export function sampleKept(size: number, count: number, seed: number): number[] {
  if (!Number.isInteger(count) || count < 1 || count > size)
    fail(`cannot keep ${count} of ${size} positions`);
  const next = seededUniform(seed);
  const order = Array.from({ length: size }, (_, j) => j);
  for (let j = 0; j < count; j++) {
    const pick = j + Math.floor(next() * (size - j));
    [order[j], order[pick]] = [order[pick], order[j]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}
