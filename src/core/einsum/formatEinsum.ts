import { fail } from '../errors.ts';
import type { Network } from '../network.ts';
import { formatDeclarations } from './declarations.ts';

/**
 * Formats a network as an einsum in one of two styles:
 * - named:   `n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2`
 * - letters: `ngabc,deb,fhc,giadf->ngieh`
 * A scalar (no legs) is an empty operand, as numpy and torch.einsum accept.
 */
export type EinsumStyle = 'named' | 'letters';

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/**
 * One letter per index. Networks whose indices already are single letters keep them;
 * otherwise batch 'n' and group 'g' keep their letters, `reserved` letters are skipped
 * (einconv names its scale factor 's') and the rest take the remaining letters in order of
 * first appearance, which reproduces einconv's equations.
 */
export function letterMap(
  operands: readonly string[][],
  output: readonly string[],
  reserved: readonly string[] = [],
): Map<string, string> {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const legs of [...operands, output]) {
    for (const leg of legs) {
      if (!seen.has(leg)) {
        seen.add(leg);
        order.push(leg);
      }
    }
  }
  const map = new Map<string, string>();
  if (order.every((name) => /^[A-Za-z]$/.test(name))) {
    for (const name of order) map.set(name, name);
    return map;
  }
  const taken = new Set([...reserved, ...['n', 'g'].filter((l) => order.includes(l))]);
  const free = LETTERS.filter((l) => !taken.has(l));
  let next = 0;
  for (const name of order) {
    if (name === 'n' || name === 'g') {
      map.set(name, name);
      continue;
    }
    if (next >= free.length)
      fail(`too many indices (${order.length}) for the letters style; use the named style`);
    map.set(name, free[next++]);
  }
  return map;
}

export function formatEquation(
  operands: readonly string[][],
  output: readonly string[],
  style: EinsumStyle,
  reserved: readonly string[] = [],
): string {
  if (style === 'named') {
    return `${operands.map((legs) => legs.join(' ')).join(', ')} -> ${output.join(' ')}`;
  }
  const map = letterMap(operands, output, reserved);
  const word = (legs: readonly string[]) => legs.map((leg) => map.get(leg)).join('');
  return `${operands.map(word).join(',')}->${word(output)}`;
}

export function formatEinsum(net: Network, style: EinsumStyle = 'named'): string {
  return formatEquation(
    net.tensors.map((t) => t.legs),
    net.output,
    style,
    net.tensors.some((t) => t.kind === 'scalar') ? ['s'] : [],
  );
}

/**
 * The einsum followed by what each operand is (`… ; x, Π₁=Pi(I=32,K=3,S=2,P=1,D=1), …`):
 * the form that reads back into the same network through parseEinsum, used by the
 * exports, share links and the CLI. Reshapes and slices a rewrite recorded on a data
 * tensor are not part of an einsum and are not written.
 */
export function formatDeclaredEinsum(net: Network, style: EinsumStyle = 'named'): string {
  if (net.tensors.length === 0) return formatEinsum(net, style);
  return `${formatEinsum(net, style)} ; ${formatDeclarations(net)}`;
}
