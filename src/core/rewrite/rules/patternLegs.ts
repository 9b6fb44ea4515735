import type { IndexPatternTensor, Network, PatternParams } from '../../network.ts';
import { carriers, isOpen } from '../edit.ts';

/** The k, o, i legs of a full (unsummed, unthinned) index pattern, or null. */
export function fullPatternLegs(t: IndexPatternTensor): { k: string; o: string; i: string } | null {
  if (t.keep && Object.keys(t.keep).length > 0) return null;
  const at = (role: 'k' | 'o' | 'i') => t.roles.indexOf(role);
  if (at('k') < 0 || at('o') < 0 || at('i') < 0 || t.legs.length !== 3) return null;
  const legs = { k: t.legs[at('k')], o: t.legs[at('o')], i: t.legs[at('i')] };
  if (new Set([legs.k, legs.o, legs.i]).size !== 3) return null;
  return legs;
}

/** Whether every other tensor on the input leg is a data tensor (whose axis can be reshaped). */
export function inputLegOnDataOnly(net: Network, t: IndexPatternTensor, i: string): boolean {
  return carriers(net, i).every(
    (u) => u === t || (u.kind === 'data' && u.legs.filter((l) => l === i).length === 1),
  );
}

export function unpadded(p: PatternParams): boolean {
  return p.padLeft === 0 && p.padRight === 0 && p.dilation === 1;
}

export { isOpen };
