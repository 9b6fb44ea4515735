import { fail } from '../errors.ts';
import { formatEinsum } from '../einsum/index.ts';
import {
  allIndices,
  checkNetwork,
  cloneNetwork,
  tensorShape,
  transformedShape,
  type DataTensor,
  type DataTransform,
  type DeltaTensor,
  type Network,
  type Tensor,
} from '../network.ts';
import type { Match, RewriteStep, RuleName, StepName } from './rule.ts';
import { sameShape } from '../tensor.ts';

/** Editing operations the rules share. They mutate the network they are given (a clone). */

/** Names in use: on a leg, in the output, or still holding a size. */
function usedNames(net: Network): Set<string> {
  return new Set([...allIndices(net), ...Object.keys(net.sizes)]);
}

/** `base`, or `base′`, `base″`-style variants until the name is free. */
export function freshIndex(net: Network, base: string, alsoTaken: Iterable<string> = []): string {
  const taken = usedNames(net);
  for (const name of alsoTaken) taken.add(name);
  let name = base;
  while (taken.has(name)) name += '′';
  return name;
}

export function freshTensorId(net: Network, base: string): string {
  const ids = new Set(net.tensors.map((t) => t.id));
  if (!ids.has(base)) return base;
  let n = 2;
  while (ids.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}

/**
 * The paper writes the parts of a split index with a tilde: i1 → ĩ1. NFC form, so the name
 * is the same string however it is typed or pasted back (ĩ is one code point, k̃ two).
 */
export function tilde(name: string): string {
  const first = [...name][0] ?? '';
  return `${first}\u0303${name.slice(first.length)}`.normalize('NFC');
}

export function isOpen(net: Network, leg: string): boolean {
  return net.output.includes(leg);
}

/** Tensors carrying an index, in network order. */
export function carriers(net: Network, leg: string): Tensor[] {
  return net.tensors.filter((t) => t.legs.includes(leg));
}

export function tensorById(net: Network, id: string, rule: RuleName): Tensor {
  const t = net.tensors.find((u) => u.id === id);
  if (!t) fail(`${rule}: no tensor '${id}' in the network`);
  return t;
}

export function deltaTensor(net: Network, legs: string[]): DeltaTensor {
  return { id: freshTensorId(net, 'delta'), label: 'δ', kind: 'delta', legs };
}

export function deltaName(legs: readonly string[]): string {
  return `δ(${legs.join(', ')})`;
}

/** Renames an index on every tensor and in the output; the caller makes sure no tensor gets it twice. */
export function renameIndex(net: Network, from: string, to: string): void {
  if (from === to) return;
  const size = net.sizes[from];
  if (net.sizes[to] !== undefined && net.sizes[to] !== size) {
    fail(`cannot rename '${from}' (size ${size}) to '${to}' (size ${net.sizes[to]})`);
  }
  for (const t of net.tensors) t.legs = t.legs.map((leg) => (leg === from ? to : leg));
  net.output = net.output.map((leg) => (leg === from ? to : leg));
  net.sizes[to] = size;
  delete net.sizes[from];
}

/** Drops sizes of indices no tensor or output uses any more. */
export function pruneSizes(net: Network): void {
  const used = new Set(allIndices(net));
  for (const name of Object.keys(net.sizes)) if (!used.has(name)) delete net.sizes[name];
}

/**
 * Gives a data tensor new legs over the same entries in the same row-major order, by
 * recording a reshape. Consecutive reshapes fold into one, and a reshape back to the
 * input's own shape disappears, so the engine sees as few transforms as possible.
 * `oldShape` is the tensor's shape before the change (the sizes of its old legs).
 */
export function reshapeData(
  net: Network,
  t: DataTensor,
  legs: string[],
  oldShape: readonly number[],
): void {
  t.legs = legs;
  pushReshape(
    t,
    legs.map((leg) => net.sizes[leg]),
    oldShape,
  );
}

/** Records a reshape of a data tensor from `oldShape` (its current shape) to `shape`. */
export function pushReshape(
  t: DataTensor,
  shape: readonly number[],
  oldShape: readonly number[],
): void {
  const input = t.sourceShape ?? (t.transforms.length === 0 ? [...oldShape] : undefined);
  const transforms = [...t.transforms];
  if (transforms.length > 0 && transforms[transforms.length - 1].kind === 'reshape')
    transforms.pop();
  const before = input ? transformedShape(input, transforms) : undefined;
  if (!(before && sameShape(before, shape)))
    transforms.push({ kind: 'reshape', shape: [...shape] });
  t.transforms = transforms;
}

/** Appends a slice or select; the caller updates the legs' sizes. */
export function appendTransform(t: DataTensor, tr: DataTransform): void {
  t.transforms = [...t.transforms, tr];
}

/** Replaces every occurrence of `leg` in a list by `parts`. */
export function spliceLeg(
  legs: readonly string[],
  leg: string,
  parts: readonly string[],
): string[] {
  return legs.flatMap((l) => (l === leg ? [...parts] : [l]));
}

/**
 * Splits an index into parts (row-major: the first part is the slowest) on every data
 * tensor and in the output. The caller handles index patterns and deltas on it.
 */
export function splitIndex(
  net: Network,
  leg: string,
  parts: { name: string; size: number }[],
): void {
  const names = parts.map((p) => p.name);
  const old = new Map(net.tensors.map((t) => [t, tensorShape(net, t)]));
  for (const p of parts) net.sizes[p.name] = p.size;
  for (const t of net.tensors) {
    if (t.kind === 'data' && t.legs.includes(leg))
      reshapeData(net, t, spliceLeg(t.legs, leg, names), old.get(t)!);
  }
  net.output = spliceLeg(net.output, leg, names);
}

export function describeTensors(ts: readonly Tensor[]): string {
  return ts.map((t) => t.label).join(', ');
}

export function shapeText(net: Network, t: Tensor): string {
  return `[${tensorShape(net, t).join(', ')}]`;
}

/** Finishes a rule application: prunes, checks, and writes the step record. */
export function finish(
  before: Network,
  after: Network,
  rule: StepName,
  explanation: string,
  tensors: string[],
  legs: string[],
): { network: Network; step: RewriteStep } {
  pruneSizes(after);
  checkNetwork(after);
  return {
    network: after,
    step: {
      rule,
      explanation,
      tensors: [...new Set(tensors)],
      legs: [...new Set(legs)],
      before: formatEinsum(before, 'named'),
      after: formatEinsum(after, 'named'),
    },
  };
}

/** Re-finds a match in the network, so a stale match is refused with a clear message. */
export function requireMatch(found: Match[], match: Match): Match {
  const same = found.find(
    (m) =>
      m.tensors.join('\u0000') === match.tensors.join('\u0000') &&
      m.legs.join('\u0000') === match.legs.join('\u0000'),
  );
  if (!same)
    fail(
      `${match.rule} does not apply at ${match.description || match.tensors.join(', ')} in this network`,
    );
  return same;
}

export { cloneNetwork };
