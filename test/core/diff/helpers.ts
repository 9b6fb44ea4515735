import type { Network } from '../../../src/core/network.ts';
import type { OpInput } from '../../../src/core/ops/index.ts';
import type { FixtureCase } from '../../helpers/fixtures.ts';

/** The hyper-parameters of a fixture request, as an operation builder takes them. */
export function hyperOf(c: FixtureCase): Omit<OpInput, 'shapes'> {
  const { op: _op, tensors: _tensors, ...hyper } = c.request;
  return hyper as Omit<OpInput, 'shapes'>;
}

/** The einsum with indices renamed in order of first appearance: equal iff equal up to renaming. */
export function canonicalEinsum(net: Network): string {
  const names = new Map<string, string>();
  const name = (leg: string) => {
    if (!names.has(leg)) names.set(leg, `L${names.size}`);
    return names.get(leg)!;
  };
  const operands = net.tensors.map((t) => t.legs.map(name).join(' '));
  return `${operands.join(', ')} -> ${net.output.map(name).join(' ')}`;
}

/** Largest |a − b| relative to the largest |b|. */
export function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  let worst = 0;
  for (let j = 0; j < b.length; j++) {
    scale = Math.max(scale, Math.abs(b[j]));
    worst = Math.max(worst, Math.abs(a[j] - b[j]));
  }
  return worst / (scale || 1);
}
