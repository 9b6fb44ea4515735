import type { DeltaTensor, Network, ScalarTensor } from '../../network.ts';
import {
  carriers,
  cloneNetwork,
  deltaName,
  deltaTensor,
  finish,
  freshTensorId,
  isOpen,
  renameIndex,
  requireMatch,
  tensorById,
} from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';

/**
 * Kronecker deltas go away by renaming: δ(a, b) forces a = b, so a summed leg of δ can
 * take the name of another of its legs everywhere and δ is dropped. The name that
 * survives is an open leg if δ has one (open legs are never renamed), else one that
 * meets another tensor. What the renaming leaves:
 * - the survivor still meets another tensor: nothing (δ is gone);
 * - it meets nothing and is summed: Σ δ = its size, a scalar (the trace);
 * - it meets nothing and is open: a one-leg δ, the all-ones vector;
 * - δ had two or more open legs: δ over those (they stay tied).
 * Renaming must not put one index twice on a tensor (that would be a diagonal, which the
 * engine cannot take); such deltas are left. δ·δ over the same legs is δ: duplicates go.
 */

type Plan =
  | { kind: 'duplicate'; of: DeltaTensor }
  | { kind: 'reduce'; survivor: string; renamed: string[]; open: string[] };

function plan(net: Network, d: DeltaTensor): Plan | null {
  const legs = [...new Set(d.legs)];
  const same = net.tensors.find(
    (u) =>
      u !== d &&
      u.kind === 'delta' &&
      net.tensors.indexOf(u) < net.tensors.indexOf(d) &&
      sameSet(u.legs, legs),
  );
  if (same) return { kind: 'duplicate', of: same as DeltaTensor };
  const open = legs.filter((leg) => isOpen(net, leg));
  const summed = legs.filter((leg) => !isOpen(net, leg));
  const repeated = legs.length < d.legs.length;
  const others = (leg: string) => carriers(net, leg).filter((u) => u !== d);
  if (summed.length === 0 && !repeated) return null;
  if (legs.length === 1 && !repeated && others(legs[0]).length > 0) return null;
  const survivor = open[0] ?? legs.find((leg) => others(leg).length > 0) ?? legs[0];
  const renamed = summed.filter((leg) => leg !== survivor);
  const joined = new Set([survivor, ...renamed]);
  for (const u of net.tensors) {
    if (u !== d && u.legs.filter((leg) => joined.has(leg)).length > 1) return null;
  }
  return { kind: 'reduce', survivor, renamed, open };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function find(net: Network): Match[] {
  const found: Match[] = [];
  for (const t of net.tensors) {
    if (t.kind !== 'delta' || !plan(net, t)) continue;
    found.push({
      rule: 'delta_removal',
      tensors: [t.id],
      legs: [...t.legs],
      description: deltaName(t.legs),
    });
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const d = tensorById(net, match.tensors[0], 'delta_removal') as DeltaTensor;
  const p = plan(net, d)!;
  const name = deltaName(d.legs);
  const at = net.tensors.indexOf(d);
  net.tensors.splice(at, 1);
  if (p.kind === 'duplicate') {
    return finish(
      before,
      net,
      'delta_removal',
      `${name} appears twice; δ·δ = δ, so the second goes`,
      [d.id],
      [...d.legs],
    );
  }
  const { survivor, renamed, open } = p;
  const touched = net.tensors.filter((u) => u.legs.some((leg) => renamed.includes(leg)));
  for (const leg of renamed) renameIndex(net, leg, survivor);
  const meetsOthers = carriers(net, survivor).length > 0;
  const renaming = renamed.length
    ? `rename ${renamed.map((r) => `${r} → ${survivor}`).join(', ')}`
    : 'no renaming';
  const where = touched.length ? ` on ${touched.map((u) => u.label).join(', ')}` : '';
  let explanation: string;
  const added: string[] = [];
  if (open.length >= 2) {
    const kept = deltaTensor(net, open);
    net.tensors.splice(at, 0, kept);
    added.push(kept.id);
    explanation = `${name}: ${renaming}${where}; the open legs ${open.join(', ')} stay tied by ${deltaName(open)}`;
  } else if (meetsOthers) {
    explanation = `${name} joins ${[survivor, ...renamed].join(', ')}: ${renaming}${where} and drop δ`;
  } else if (open.length === 1) {
    const ones = deltaTensor(net, [survivor]);
    net.tensors.splice(at, 0, ones);
    added.push(ones.id);
    explanation = `${name} meets no other tensor: summing ${renamed.join(', ')} leaves ${deltaName([survivor])}, all ones over the open leg ${survivor}`;
  } else {
    const size = net.sizes[survivor];
    const trace: ScalarTensor = {
      id: freshTensorId(net, 'trace'),
      label: String(size),
      kind: 'scalar',
      legs: [],
      value: size,
    };
    net.tensors.splice(at, 0, trace);
    added.push(trace.id);
    explanation = `${name} meets no other tensor: its trace is the size ${size} of ${survivor}, a scalar`;
  }
  return finish(
    before,
    net,
    'delta_removal',
    explanation,
    [d.id, ...touched.map((u) => u.id), ...added],
    [...d.legs],
  );
}

export const deltaRemoval: RewriteRule = {
  name: 'delta_removal',
  title: 'Delta removal',
  summary:
    'A δ is removed by renaming its summed legs; a δ that meets nothing else is a trace (its size); duplicate δs go.',
  find,
  apply,
};
