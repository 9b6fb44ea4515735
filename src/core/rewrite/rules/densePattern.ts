import type { IndexPatternTensor, Network } from '../../network.ts';
import {
  carriers,
  cloneNetwork,
  deltaName,
  deltaTensor,
  finish,
  freshIndex,
  requireMatch,
  splitIndex,
  tensorById,
  tilde,
} from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';
import { fullPatternLegs, inputLegOnDataOnly, unpadded } from './patternLegs.ts';

/**
 * Dense Π (K = S, P = 0, D = 1, I mod K = 0): the windows tile the input without gaps or
 * overlap, so with i split row-major into (ĩ = I/K, k̃ = K), i = ĩ·K + k̃ and
 * Π[k, o, i] = δ(o, ĩ)·δ(k, k̃). For K = S = 1 no split is needed: Π = δ(o, i)·δ(k), where
 * δ(k) is the number 1 carried on the size-1 leg k until squeeze removes it.
 */
function isDense(t: IndexPatternTensor): boolean {
  const p = t.pattern;
  return (
    p.kernelSize === p.stride &&
    unpadded(p) &&
    p.inputSize % p.kernelSize === 0 &&
    p.outputSize === p.inputSize / p.kernelSize
  );
}

function find(net: Network): Match[] {
  const found: Match[] = [];
  for (const t of net.tensors) {
    if (t.kind !== 'index_pattern' || !isDense(t)) continue;
    const legs = fullPatternLegs(t);
    if (!legs || !inputLegOnDataOnly(net, t, legs.i)) continue;
    found.push({
      rule: 'dense_pattern',
      tensors: [t.id],
      legs: [legs.i],
      description: `${t.label} is dense`,
    });
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const t = tensorById(net, match.tensors[0], 'dense_pattern') as IndexPatternTensor;
  const { k, o, i } = fullPatternLegs(t)!;
  const { kernelSize: K, inputSize: I } = t.pattern;
  const data = carriers(net, i).filter((u) => u !== t);
  const at = net.tensors.indexOf(t);
  net.tensors.splice(at, 1);
  if (K === 1) {
    const dOI = deltaTensor(net, [o, i]);
    net.tensors.splice(at, 0, dOI);
    const dK = deltaTensor(net, [k]);
    net.tensors.splice(at + 1, 0, dK);
    return finish(
      before,
      net,
      'dense_pattern',
      `${t.label} is 1×1: K=S=1, P=0, D=1 → ${t.label} = ${deltaName([o, i])}·${deltaName([k])} (${k} has size 1)`,
      [t.id, dOI.id, dK.id],
      [k, o, i],
    );
  }
  const iTilde = freshIndex(net, tilde(i));
  const kTilde = freshIndex(net, tilde(k), [iTilde]);
  splitIndex(net, i, [
    { name: iTilde, size: I / K },
    { name: kTilde, size: K },
  ]);
  const dO = deltaTensor(net, [o, iTilde]);
  net.tensors.splice(at, 0, dO);
  const dK = deltaTensor(net, [k, kTilde]);
  net.tensors.splice(at + 1, 0, dK);
  const on = data.length ? ` on ${data.map((u) => u.label).join(', ')}` : '';
  return finish(
    before,
    net,
    'dense_pattern',
    `${t.label} is dense: K=S=${K}, P=0, D=1, I=${I} divisible by ${K} → split ${i}${on} into (${iTilde}=${I / K}, ${kTilde}=${K}); ${t.label} = ${deltaName([o, iTilde])}·${deltaName([k, kTilde])}`,
    [t.id, ...data.map((u) => u.id), dO.id, dK.id],
    [i, iTilde, kTilde, o, k],
  );
}

export const densePattern: RewriteRule = {
  name: 'dense_pattern',
  title: 'Dense index pattern',
  summary:
    'Π with K = S, P = 0, D = 1 and I mod K = 0 becomes δ(o, ĩ)·δ(k, k̃) after splitting i into (I/K, K).',
  find,
  apply,
};
