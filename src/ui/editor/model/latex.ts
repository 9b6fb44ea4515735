import type { Network, Tensor } from '../../../core/network.ts';
import { formatScalar } from './layout.ts';

/**
 * The network as a formula typeset the way the paper writes it:
 * Y_{n,g,c_{out},o_1,o_2} = \sum_{c_{in},i_1,…} x_{n,g,c_{in},i_1,i_2} \Pi^{(1)}_{k_1,o_1,i_1} …
 */

const SUBSCRIPT_DIGITS: Record<string, string> = {
  '₀': '0',
  '₁': '1',
  '₂': '2',
  '₃': '3',
  '₄': '4',
  '₅': '5',
  '₆': '6',
  '₇': '7',
  '₈': '8',
  '₉': '9',
};

const GREEK: Record<string, string> = {
  Π: '\\Pi',
  δ: '\\delta',
  α: '\\alpha',
  β: '\\beta',
  γ: '\\gamma',
  λ: '\\lambda',
  σ: '\\sigma',
  μ: '\\mu',
  ε: '\\varepsilon',
};

/** Characters that would be LaTeX syntax are dropped from names; letters and digits stay. */
function plain(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '');
}

function baseTex(base: string): string {
  const p = plain(base) || 'j';
  return p.length > 1 ? `\\mathrm{${p}}` : p;
}

/** `c_in` → c_{in}, `i1` → i_{1}, `k1'` → k'_{1}, `ĩ1` (combining tilde) → \tilde{i}_{1}. */
export function indexTex(name: string): string {
  const primes = (name.match(/['′]/g) ?? []).length;
  const decomposed = name.normalize('NFD');
  const tilde = decomposed.includes('\u0303');
  const core = decomposed.replace(/['′]|\u0303/g, '');
  let base = core;
  let sub = '';
  const underscore = /^([A-Za-z]+)_([A-Za-z0-9_]+)$/.exec(core);
  const digits = /^([A-Za-z]+)(\d+)$/.exec(core);
  if (underscore) {
    base = underscore[1];
    sub = underscore[2].split('_').filter(Boolean).join(',');
  } else if (digits) {
    base = digits[1];
    sub = digits[2];
  }
  let tex = baseTex(base);
  if (tilde) tex = `\\tilde{${tex}}`;
  if (primes > 0) tex += "'".repeat(primes);
  if (sub) tex += `_{${sub.split(',').map(plain).join(',')}}`;
  return tex;
}

/** A tensor's name: Π₁ → \Pi^{(1)}, δ → \delta, x′ → x', W → W. */
export function labelTex(label: string): string {
  const primes = (label.match(/['′]/g) ?? []).length;
  let rest = label.replace(/['′]/g, '');
  let digits = '';
  while (rest.length > 0 && SUBSCRIPT_DIGITS[rest[rest.length - 1]] !== undefined) {
    digits = SUBSCRIPT_DIGITS[rest[rest.length - 1]] + digits;
    rest = rest.slice(0, -1);
  }
  const trailing = /^(.*?)(\d+)$/.exec(rest);
  if (!digits && trailing && trailing[1]) {
    rest = trailing[1];
    digits = trailing[2];
  }
  const greek = GREEK[rest];
  let tex = greek ?? (plain(rest).length > 1 ? `\\mathrm{${plain(rest)}}` : plain(rest) || 'T');
  if (primes > 0) tex += "'".repeat(primes);
  if (digits) tex += greek === '\\Pi' ? `^{(${digits})}` : `_{${digits}}`;
  return tex;
}

const indexList = (legs: readonly string[]): string => legs.map(indexTex).join(',');

function tensorTex(t: Tensor): string {
  if (t.kind === 'scalar') {
    const s = formatScalar(t.value);
    const frac = /^1\/(\d+)$/.exec(s);
    return frac ? `\\frac{1}{${frac[1]}}` : s;
  }
  const name = labelTex(t.label);
  if (t.legs.length === 0) return name;
  // Π already has a superscript; its indices go below like every other tensor's.
  return `${name}_{${indexList(t.legs)}}`;
}

/** Indices summed over: on some tensor but not in the output, in order of appearance. */
export function summedIndices(net: Network): string[] {
  const open = new Set(net.output);
  const seen: string[] = [];
  for (const t of net.tensors)
    for (const leg of t.legs) if (!open.has(leg) && !seen.includes(leg)) seen.push(leg);
  return seen;
}

/** The right-hand side: \sum_{…} and the product of tensors. */
export function networkBodyTex(net: Network): string {
  const summed = summedIndices(net);
  const factors = net.tensors.map(tensorTex).join(' ');
  const sum = summed.length > 0 ? `\\sum_{${indexList(summed)}} ` : '';
  return `${sum}${factors || '1'}`;
}

export function resultTex(net: Network, name = 'Y'): string {
  return net.output.length > 0 ? `${name}_{${indexList(net.output)}}` : name;
}

function coefficientTex(c: number, first: boolean): string {
  const sign = c < 0 ? '-' : first ? '' : '+';
  const mag = Math.abs(c);
  const body = mag === 1 ? '' : `${formatScalar(mag).replace(/^1\/(\d+)$/, '\\frac{1}{$1}')}\\,`;
  return `${first ? sign : ` ${sign} `}${body}`;
}

/** One network, or a sum of terms (a derivative by the product rule). */
export function formulaTex(
  terms: readonly { coefficient: number; network: Network }[],
  name = 'Y',
): string {
  if (terms.length === 0) return `${name} = 0`;
  const lhs = resultTex(terms[0].network, name);
  const rhs = terms
    .map((term, k) => {
      const body = networkBodyTex(term.network);
      const wrapped = terms.length > 1 && body.startsWith('\\sum') ? `\\Big(${body}\\Big)` : body;
      return `${coefficientTex(term.coefficient, k === 0)}${wrapped}`;
    })
    .join('');
  return `${lhs} = ${rhs}`;
}
