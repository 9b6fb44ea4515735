import { fail } from '../errors.ts';
import { checkNetwork, cloneNetwork, type Network, type Tensor } from '../network.ts';

/**
 * ⟨A, B⟩ over the open legs of two networks, keeping the legs `keep` open:
 * Σ_{open legs ∉ keep} A[…] B[…]. A and B must lay out their open legs alike (same sizes
 * in the same order); B's legs are matched to A's by position and all its other legs are
 * renamed with a prime. With B = A this is the squared Frobenius norm per kept index,
 * e.g. the per-example gradient norms ‖g_n‖² (keep ['n']) as one network, which a
 * contraction planner can evaluate without forming the per-example gradients.
 */
export function innerProductNetwork(a: Network, b: Network, keep: readonly string[]): Network {
  if (
    a.output.length !== b.output.length ||
    a.output.some((leg, j) => a.sizes[leg] !== b.sizes[b.output[j]])
  ) {
    fail(
      `cannot pair the open legs [${a.output.join(' ')}] and [${b.output.join(' ')}]: they are laid out differently`,
    );
  }
  if (new Set(keep).size !== keep.length) fail('the legs to keep repeat');
  for (const leg of keep)
    if (!a.output.includes(leg))
      fail(`'${leg}' is not an open leg (open: ${a.output.join(', ') || 'none'})`);

  const taken = new Set<string>([...Object.keys(a.sizes), ...a.tensors.flatMap((t) => t.legs)]);
  const rename = new Map<string, string>();
  b.output.forEach((leg, j) => rename.set(leg, a.output[j]));
  const renamed = (leg: string): string => {
    let name = rename.get(leg);
    if (name === undefined) {
      name = `${leg}′`;
      while (taken.has(name)) name = `${name}′`;
      taken.add(name);
      rename.set(leg, name);
    }
    return name;
  };
  const ids = new Set(a.tensors.map((t) => t.id));
  const freshId = (id: string): string => {
    let name = `${id}′`;
    while (ids.has(name)) name = `${name}′`;
    ids.add(name);
    return name;
  };
  const copy = cloneNetwork(b);
  const second: Tensor[] = copy.tensors.map((t) => ({
    ...t,
    id: freshId(t.id),
    label: `${t.label}′`,
    legs: t.legs.map(renamed),
  }));
  const out = cloneNetwork(a);
  for (const [leg, size] of Object.entries(copy.sizes)) {
    const name = renamed(leg);
    if (out.sizes[name] === undefined) out.sizes[name] = size;
  }
  out.tensors.push(...second);
  out.output = a.output.filter((leg) => keep.includes(leg));
  out.resultShape = out.output.map((leg) => out.sizes[leg]);
  checkNetwork(out);
  return out;
}

/** Σ over the open legs not in `keep` of the network's entries squared. */
export function squaredNormNetwork(net: Network, keep: readonly string[]): Network {
  return innerProductNetwork(net, net, keep);
}
