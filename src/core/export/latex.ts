import { formatDeclaredEinsum, formatEinsum, type EinsumStyle } from '../einsum/index.ts';
import type { Network, Tensor } from '../network.ts';
import type { Term } from '../expression.ts';
import type { ExportSubject } from './subject.ts';

/**
 * The formula of a network in the paper's notation:
 *   [Y]_{n,g,c_out,o_1,o_2} = Σ_{c_in,i_1,i_2,k_1,k_2} [X]_{n,g,c_in,i_1,i_2} Π^{(1)}_{k_1,o_1,i_1} Π^{(2)}_{k_2,o_2,i_2} [W]_{g,c_out,c_in,k_1,k_2}
 * with tensors in sans-serif, index patterns Π^{(d)} (summed ones Π̄^{(d)}), deltas δ and
 * constant factors as numbers. Only letters and digits of user-given names reach the TeX,
 * so the output is safe to typeset.
 */

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

function alnum(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '');
}

/** One index name: c_in → c_{\text{in}}, i1 → i_{1}, k1' → k_{1}', ĩ1 → \tilde{i}_{1}, o1_o2 → (o_{1},o_{2}). */
export function indexTex(name: string): string {
  const decomposed = name.normalize('NFD');
  const primes = (decomposed.match(/['′]/g) ?? []).length;
  const tilde = decomposed.includes('\u0303');
  const core = decomposed.replace(/['′]|\u0303/g, '');
  const parts = core.split('_').filter(Boolean);
  if (parts.length > 1 && parts.every((p) => /^[A-Za-z]+\d+$/.test(p))) {
    // Legs merged by the rewrite rules (o1_o2): show them as a tuple.
    return `(${parts.map((p) => indexTex(p)).join(',')})${"'".repeat(primes)}`;
  }
  let base = parts[0] ?? core;
  let sub = '';
  const digits = /^([A-Za-z]+)(\d+)$/.exec(base);
  if (digits) {
    base = digits[1];
    sub = digits[2];
  }
  const words = parts.slice(1).map(alnum).filter(Boolean);
  const b = alnum(base) || 'j';
  let tex = b.length > 1 ? `\\mathrm{${b}}` : b;
  if (tilde) tex = `\\tilde{${tex}}`;
  const subs = [sub, ...words.map((w) => `\\text{${w}}`)].filter(Boolean);
  if (subs.length) tex += `_{${subs.join(',')}}`;
  return tex + "'".repeat(primes);
}

/** A fraction for constants like 1/8 or 64/32, else the number. */
export function numberTex(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const inverse = 1 / value;
  if (Number.isInteger(Math.round(inverse * 1e9) / 1e9) && Math.abs(inverse) < 1e9) {
    return `${value < 0 ? '-' : ''}\\frac{1}{${Math.abs(Math.round(inverse))}}`;
  }
  return String(Number(value.toPrecision(6)));
}

function labelParts(label: string): { base: string; digits: string; primes: number } {
  const primes = (label.match(/['′]/g) ?? []).length;
  let rest = label.replace(/['′]/g, '');
  let digits = '';
  while (rest.length && SUBSCRIPT_DIGITS.includes(rest[rest.length - 1])) {
    digits = SUBSCRIPT_DIGITS.indexOf(rest[rest.length - 1]) + digits;
    rest = rest.slice(0, -1);
  }
  const trailing = /^(.*?[^\d])(\d+)$/.exec(rest);
  if (!digits && trailing) {
    rest = trailing[1];
    digits = trailing[2];
  }
  return { base: rest, digits, primes };
}

const GREEK_LABELS: Record<string, string> = { Π: '\\Pi', δ: '\\delta', Π̄: '\\bar{\\Pi}' };

/** A tensor's name on its own (diagram labels): Π₁ → \Pi^{(1)}, δ → \delta, x′ → x', T1 → T_{1}. */
export function labelTex(label: string): string {
  const { base, digits, primes } = labelParts(label);
  const greek = GREEK_LABELS[base.normalize('NFC')];
  const name = alnum(base);
  let tex = greek ?? (name.length > 1 ? `\\mathrm{${name}}` : name || 'T');
  tex += "'".repeat(primes);
  if (digits) tex += greek === '\\Pi' ? `^{(${digits})}` : `_{${digits}}`;
  return tex;
}

function tensorTex(t: Tensor): string {
  const legs = t.legs.map(indexTex).join(',');
  const { base, digits, primes } = labelParts(t.label);
  const prime = "'".repeat(primes);
  switch (t.kind) {
    case 'index_pattern': {
      const summed = t.roles.length < 3;
      const dim = digits || '';
      const symbol = summed ? '\\bar{\\Pi}' : '\\Pi';
      return `${symbol}^{${dim ? `(${dim})` : ''}${prime}}_{${legs}}`;
    }
    case 'delta':
      return `\\delta_{${legs}}`;
    case 'scalar':
      return numberTex(t.value);
    case 'data': {
      const name = alnum(base) || 'T';
      const letter = name.length === 1 ? name.toUpperCase() : name;
      const sf = `\\mathsf{${letter}}`;
      const sub = digits ? `_{${digits}}` : '';
      return `[${sf}${sub}${prime}]_{${legs}}`;
    }
  }
}

function termTex(term: Term): string {
  const net = term.network;
  const summed = [...new Set(net.tensors.flatMap((t) => t.legs))].filter(
    (leg) => !net.output.includes(leg),
  );
  const scalars = net.tensors.filter((t) => t.kind === 'scalar');
  const others = net.tensors.filter((t) => t.kind !== 'scalar');
  const coefficient = scalars.reduce(
    (c, t) => c * (t.kind === 'scalar' ? t.value : 1),
    term.coefficient,
  );
  const factor =
    coefficient === 1 ? '' : coefficient === -1 ? '-' : `${numberTex(coefficient)} \\, `;
  const sum = summed.length ? `\\sum_{${summed.map(indexTex).join(',')}} ` : '';
  const body = others.length ? others.map(tensorTex).join(' \\, ') : '1';
  return `${factor}${sum}${body}`;
}

export interface LatexOptions {
  /** Name of the result (default Y). */
  result?: string;
}

/** The formula of a network or of a sum of networks. */
export function exportLatex(subject: ExportSubject | Network, options: LatexOptions = {}): string {
  const terms = 'terms' in subject ? subject.terms : [{ coefficient: 1, network: subject }];
  const name = alnum(options.result ?? 'Y') || 'Y';
  const output = terms[0]?.network.output ?? [];
  const lhs = output.length
    ? `[\\mathsf{${name}}]_{${output.map(indexTex).join(',')}}`
    : `\\mathsf{${name}}`;
  const rhs = terms
    .map((t, j) => {
      const tex = termTex(t);
      if (j === 0) return tex;
      return tex.startsWith('-') ? ` - ${tex.slice(1)}` : ` + ${tex}`;
    })
    .join('');
  return `${lhs} = ${rhs}`;
}

/**
 * The einsum of each term (named or letters style), joined by ' + ' for a sum; with
 * `declared`, each term also says what its operands are (`… ; x, Π₁=Pi(…), …`), so the
 * text loads back into the same network.
 */
export function exportEinsum(
  subject: ExportSubject | Network,
  style: EinsumStyle = 'named',
  options: { declared?: boolean } = {},
): string {
  const terms = 'terms' in subject ? subject.terms : [{ coefficient: 1, network: subject }];
  const format = options.declared ? formatDeclaredEinsum : formatEinsum;
  return terms
    .map(({ coefficient, network }) => {
      const eq = format(network, style);
      // Declarations follow ';', so in a sum each term is bracketed to keep its own.
      const bare = coefficient === 1 && (!options.declared || terms.length === 1);
      return bare ? eq : `${coefficient}·(${eq})`;
    })
    .join(' + ');
}
