import { allIndices, tensorShape, type Network } from '../../network.ts';
import { carriers, cloneNetwork, finish, isOpen, requireMatch, reshapeData } from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';

/**
 * A leg of size 1 takes one value, so dropping it from every data tensor (a reshape), every
 * δ and the output changes nothing; a δ left with no legs is the number 1 and goes. Π
 * keeps its legs (its roles tie each leg to a hyper-parameter), so legs on Π stay.
 */

function find(net: Network): Match[] {
  const found: Match[] = [];
  for (const leg of allIndices(net)) {
    if (net.sizes[leg] !== 1) continue;
    const on = carriers(net, leg);
    if (!on.every((t) => t.kind === 'data' || t.kind === 'delta')) continue;
    found.push({
      rule: 'squeeze',
      tensors: on.map((t) => t.id),
      legs: [leg],
      description: `${leg} has size 1`,
    });
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const leg = match.legs[0];
  const on = carriers(net, leg);
  const open = isOpen(net, leg);
  for (const t of on) {
    const old = tensorShape(net, t);
    const legs = t.legs.filter((l) => l !== leg);
    if (t.kind === 'data') reshapeData(net, t, legs, old);
    else t.legs = legs;
  }
  net.tensors = net.tensors.filter((t) => !(t.kind === 'delta' && t.legs.length === 0));
  net.output = net.output.filter((l) => l !== leg);
  const from = [...on.map((t) => t.label), ...(open ? ['the output'] : [])];
  return finish(
    before,
    net,
    'squeeze',
    `${leg} has size 1: drop it from ${from.join(', ') || 'the network'}`,
    on.map((t) => t.id),
    [leg],
  );
}

export const squeeze: RewriteRule = {
  name: 'squeeze',
  title: 'Squeeze',
  summary: 'A leg of size 1 is dropped from data tensors, deltas and the output.',
  find,
  apply,
};
