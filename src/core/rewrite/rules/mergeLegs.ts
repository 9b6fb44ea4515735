import { tensorShape, type Network } from '../../network.ts';
import {
  carriers,
  cloneNetwork,
  finish,
  freshIndex,
  isOpen,
  requireMatch,
  reshapeData,
} from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';

/**
 * Two legs that always travel together (on the same tensors, side by side in the same
 * order, and side by side in the output if open) act as one leg of the product size: a
 * row-major reshape merges them on every data tensor, and in the output it leaves the
 * result's layout unchanged. Deltas and Π give meaning to each leg separately, so legs on
 * them are not merged.
 */

function adjacent(legs: readonly string[], a: string, b: string): boolean {
  const at = legs.indexOf(a);
  return (
    at >= 0 && legs[at + 1] === b && legs.lastIndexOf(a) === at && legs.lastIndexOf(b) === at + 1
  );
}

function travelTogether(net: Network, a: string, b: string): boolean {
  if (a === b) return false;
  const on = carriers(net, a);
  const onB = carriers(net, b);
  if (on.length === 0 || on.length !== onB.length || on.some((t, j) => t !== onB[j])) return false;
  if (!on.every((t) => t.kind === 'data' && adjacent(t.legs, a, b))) return false;
  if (isOpen(net, a) !== isOpen(net, b)) return false;
  return !isOpen(net, a) || adjacent(net.output, a, b);
}

function find(net: Network): Match[] {
  const found: Match[] = [];
  const seen = new Set<string>();
  for (const t of net.tensors) {
    if (t.kind !== 'data') continue;
    for (let j = 0; j + 1 < t.legs.length; j++) {
      const [a, b] = [t.legs[j], t.legs[j + 1]];
      const key = `${a}\u0000${b}`;
      if (seen.has(key) || !travelTogether(net, a, b)) continue;
      seen.add(key);
      found.push({
        rule: 'merge_legs',
        tensors: carriers(net, a).map((u) => u.id),
        legs: [a, b],
        description: `(${a} ${b})`,
      });
    }
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const [a, b] = match.legs;
  const merged = freshIndex(net, `${a}_${b}`);
  const on = carriers(net, a);
  const old = new Map(on.map((t) => [t, tensorShape(net, t)]));
  net.sizes[merged] = net.sizes[a] * net.sizes[b];
  const join = (legs: readonly string[]) =>
    legs.flatMap((leg) => (leg === a ? [merged] : leg === b ? [] : [leg]));
  for (const t of on) if (t.kind === 'data') reshapeData(net, t, join(t.legs), old.get(t)!);
  const open = isOpen(net, a);
  net.output = join(net.output);
  return finish(
    before,
    net,
    'merge_legs',
    `${a} (${before.sizes[a]}) and ${b} (${before.sizes[b]}) always travel together on ${on.map((t) => t.label).join(', ')}${open ? ' and in the output' : ''} → one leg ${merged} of size ${net.sizes[merged]}`,
    on.map((t) => t.id),
    [a, b, merged],
  );
}

export const mergeLegs: RewriteRule = {
  name: 'merge_legs',
  title: 'Merge legs',
  summary:
    'Legs that always travel together (same data tensors, side by side, same order) become one leg.',
  find,
  apply,
};
