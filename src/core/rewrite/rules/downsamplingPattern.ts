import type { IndexPatternTensor, Network } from '../../network.ts';
import {
  appendTransform,
  carriers,
  cloneNetwork,
  finish,
  isOpen,
  pushReshape,
  requireMatch,
  tensorById,
} from '../edit.ts';
import type { Match, RewriteRule } from '../rule.ts';
import { fullPatternLegs, inputLegOnDataOnly, unpadded } from './patternLegs.ts';

/**
 * Down-sampling Π (S > K, P = 0, D = 1, I mod S = 0): window o reads i = o·S + k with
 * k < K, so of every S consecutive inputs only the first K are ever read. Splitting i into
 * (I/S, S) and slicing the first K of the S leg drops the unread inputs; what is left,
 * merged back into one leg of O·K entries, is read by a dense Π (K = S). The input leg
 * must not be open, since the slice would drop entries of the result.
 */
function isDownsampling(t: IndexPatternTensor): boolean {
  const p = t.pattern;
  return (
    p.stride > p.kernelSize &&
    unpadded(p) &&
    p.inputSize % p.stride === 0 &&
    p.outputSize === p.inputSize / p.stride
  );
}

function find(net: Network): Match[] {
  const found: Match[] = [];
  for (const t of net.tensors) {
    if (t.kind !== 'index_pattern' || !isDownsampling(t)) continue;
    const legs = fullPatternLegs(t);
    if (!legs || isOpen(net, legs.i) || !inputLegOnDataOnly(net, t, legs.i)) continue;
    found.push({
      rule: 'downsampling_pattern',
      tensors: [t.id],
      legs: [legs.i],
      description: `${t.label} down-samples`,
    });
  }
  return found;
}

function apply(before: Network, match: Match) {
  requireMatch(find(before), match);
  const net = cloneNetwork(before);
  const t = tensorById(net, match.tensors[0], 'downsampling_pattern') as IndexPatternTensor;
  const { i } = fullPatternLegs(t)!;
  const { kernelSize: K, stride: S, inputSize: I, outputSize: O } = t.pattern;
  const data = carriers(net, i).filter((u) => u !== t);
  for (const u of data) {
    if (u.kind !== 'data') continue;
    const axis = u.legs.indexOf(i);
    const shape = u.legs.map((leg) => net.sizes[leg]);
    const split = [...shape.slice(0, axis), O, S, ...shape.slice(axis + 1)];
    pushReshape(u, split, shape);
    appendTransform(u, { kind: 'slice', axis: axis + 1, start: 0, size: K });
    const sliced = [...split.slice(0, axis + 1), K, ...split.slice(axis + 2)];
    pushReshape(u, [...shape.slice(0, axis), O * K, ...shape.slice(axis + 1)], sliced);
  }
  net.sizes[i] = O * K;
  t.pattern = { ...t.pattern, inputSize: O * K, stride: K, outputSize: O };
  const sliced = data.length ? ` (slice ${data.map((u) => u.label).join(', ')})` : '';
  return finish(
    before,
    net,
    'downsampling_pattern',
    `${t.label} down-samples: S=${S} > K=${K}, P=0, D=1, I=${I} divisible by ${S} → split ${i} into (${O}, ${S}), keep the first ${K} of each ${S}${sliced}; ${i} now has ${O * K} entries and ${t.label} is dense (K=S=${K})`,
    [t.id, ...data.map((u) => u.id)],
    [i],
  );
}

export const downsamplingPattern: RewriteRule = {
  name: 'downsampling_pattern',
  title: 'Down-sampling index pattern',
  summary:
    'Π with S > K, P = 0, D = 1, I mod S = 0 and i not open: keep the first K of every S inputs (a slice); Π becomes dense.',
  find,
  apply,
};
