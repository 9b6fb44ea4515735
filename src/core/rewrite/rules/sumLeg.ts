import { patternInputIndex } from '../../indexPattern.ts';
import type { IndexPatternTensor, Network, PatternParams, ScalarTensor } from '../../network.ts';
import {
  carriers,
  cloneNetwork,
  finish,
  freshTensorId,
  isOpen,
  requireMatch,
  tensorById,
} from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';

/**
 * A leg that sits on one tensor only and is not open can be summed on that tensor before
 * anything else. For Π this gives the summed pattern (Π̄[k, i] = Σ_o Π[k, o, i], as in
 * KFAC-reduce and SINGD), recorded by dropping the role; summing every leg leaves the
 * number of taps that land inside the input. Only Π is summed here: a δ's lone leg is the
 * delta rule's business, and a data tensor's lone leg is summed by the first contraction
 * that touches it, at no extra cost, so the engine needs no reduction transform.
 */

function taps(p: PatternParams): number {
  let n = 0;
  for (let k = 0; k < p.kernelSize; k++)
    for (let o = 0; o < p.outputSize; o++) if (patternInputIndex(p, k, o) >= 0) n++;
  return n;
}

function summedLabel(label: string): string {
  return label.startsWith('Π') && !label.startsWith('Π\u0304') ? `Π\u0304${label.slice(1)}` : label;
}

function find(net: Network): Match[] {
  const found: Match[] = [];
  for (const t of net.tensors) {
    if (t.kind !== 'index_pattern' || (t.keep && Object.keys(t.keep).length > 0)) continue;
    for (const leg of t.legs) {
      if (
        isOpen(net, leg) ||
        carriers(net, leg).length !== 1 ||
        t.legs.filter((l) => l === leg).length !== 1
      )
        continue;
      found.push({
        rule: 'sum_leg',
        tensors: [t.id],
        legs: [leg],
        description: `Σ_${leg} ${t.label}`,
      });
    }
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const t = tensorById(net, match.tensors[0], 'sum_leg') as IndexPatternTensor;
  const leg = match.legs[0];
  const axis = t.legs.indexOf(leg);
  const role = t.roles[axis];
  const oldName = `${t.label}[${t.legs.join(', ')}]`;
  t.legs = t.legs.filter((_, a) => a !== axis);
  t.roles = t.roles.filter((_, a) => a !== axis);
  t.label = summedLabel(t.label);
  const why = `${leg} (role ${role}) is only on ${oldName.split('[')[0]} and not an output`;
  if (t.legs.length === 0) {
    const count = taps(t.pattern);
    const scalar: ScalarTensor = {
      id: freshTensorId(net, `${t.id}_sum`),
      label: String(count),
      kind: 'scalar',
      legs: [],
      value: count,
    };
    net.tensors.splice(net.tensors.indexOf(t), 1, scalar);
    return finish(
      before,
      net,
      'sum_leg',
      `${why}: Σ ${oldName} = ${count} taps inside the input, a scalar`,
      [t.id, scalar.id],
      [leg],
    );
  }
  return finish(
    before,
    net,
    'sum_leg',
    `${why}: ${t.label}[${t.legs.join(', ')}] = Σ_${leg} ${oldName} (the summed pattern)`,
    [t.id],
    [leg],
  );
}

export const sumLeg: RewriteRule = {
  name: 'sum_leg',
  title: 'Sum a lone leg',
  summary:
    'A leg of Π that meets no other tensor and is not open is summed into Π (the summed pattern Π̄).',
  find,
  apply,
};
