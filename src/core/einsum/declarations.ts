import { convOutputSize } from '../indexPattern.ts';
import type { Network, PatternParams, PatternRole, Tensor } from '../network.ts';

/**
 * Declarations after an einsum say what each operand is, so an equation can carry index
 * patterns and Kronecker deltas instead of only dense data:
 *
 *   n c i1 i2, k1 o1 i1, k2 o2 i2, m c k1 k2 -> n m o1 o2 ; x, Π₁=Pi(I=32,K=3,S=2,P=1), Π₂=Pi(I=32,K=3,S=2,P=1), W:weight
 *
 * One entry per operand, in operand order, separated by commas:
 * - `name` or `name:input`: a data tensor named `name` reading input `input` (default:
 *   the name without trailing primes, so x′ reads x);
 * - `name=Pi(I=…,K=…,S=…,P=…,D=…)` (also `Π(…)`): an index pattern with legs in the order
 *   k, o, i. S, P, D default to 1, 0, 1; P may be `left/right`. Optional: O (the output
 *   size, when it is not the convolution's), `roles=ki` (another leg order, or a summed
 *   pattern without o), `keep_k`/`keep_o`/`keep_i` (positions kept by tensor dropout,
 *   separated by spaces);
 * - `name=delta` or `name=δ`: a Kronecker delta;
 * - `name=<number>` or the number alone: a constant factor (`1/8`, `0.5`, `-2`), an
 *   operand with no indices.
 * Errors name the character offset in the whole text, like the equation's.
 */

export type Declaration =
  | { kind: 'data'; name: string; input: string }
  | {
      kind: 'index_pattern';
      name: string;
      pattern: PatternParams;
      roles: PatternRole[];
      keep?: Partial<Record<PatternRole, number[]>>;
    }
  | { kind: 'delta'; name: string }
  | { kind: 'scalar'; name: string; value: number };

/** Thrown with the offset of the problem in the declarations' text. */
export class DeclarationError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const NAME = /^[\p{L}_](?:[\p{L}\p{N}_'′]|\p{M})*$/u;
const PRIMES = /['′]+$/;

export const inputOfName = (name: string): string => name.replace(PRIMES, '') || name;

interface Piece {
  text: string;
  at: number;
}

/** Splits at commas outside parentheses, keeping each piece's offset. */
function splitTop(text: string, at: number): Piece[] {
  const pieces: Piece[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < text.length; j++) {
    const ch = text[j];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw new DeclarationError(at + j, "unmatched ')'");
    } else if (ch === ',' && depth === 0) {
      pieces.push({ text: text.slice(start, j), at: at + start });
      start = j + 1;
    }
  }
  if (depth > 0) throw new DeclarationError(at + text.length, "missing ')'");
  pieces.push({ text: text.slice(start), at: at + start });
  return pieces;
}

/** The piece without surrounding whitespace, with its offset moved to the first character. */
function trimmed(p: Piece): Piece {
  const lead = p.text.length - p.text.trimStart().length;
  return { text: p.text.trim(), at: p.at + lead };
}

function checkName(name: string, at: number, what: string): string {
  if (!NAME.test(name)) {
    throw new DeclarationError(
      at,
      name === ''
        ? `missing ${what}`
        : `'${name}' is not a ${what} (a letter or '_', then letters, digits, _ or primes)`,
    );
  }
  return name;
}

function readInteger(text: string, at: number, key: string, min: number): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw new DeclarationError(at, `${key} must be a whole number, got '${text}'`);
  }
  const value = Number(text);
  if (value < min) throw new DeclarationError(at, `${key} must be at least ${min}, got ${value}`);
  return value;
}

const ROLE_ORDERS = /^(?!.*(.).*\1)[koi]{1,3}$/;

function readPattern(args: Piece, name: string): Declaration {
  const values = new Map<string, Piece>();
  if (args.text.trim() === '') throw new DeclarationError(args.at, 'Pi(…) needs at least I and K');
  for (const raw of splitTop(args.text, args.at)) {
    const p = trimmed(raw);
    const eq = p.text.indexOf('=');
    if (eq < 0) throw new DeclarationError(p.at, `expected key=value in Pi(…), got '${p.text}'`);
    const key = p.text.slice(0, eq).trim();
    if (!/^(I|K|S|P|D|O|roles|keep_[koi])$/.test(key)) {
      throw new DeclarationError(
        p.at,
        `unknown key '${key}' in Pi(…) (known: I, K, S, P, D, O, roles, keep_k, keep_o, keep_i)`,
      );
    }
    if (values.has(key)) throw new DeclarationError(p.at, `key '${key}' is given twice`);
    const value = trimmed({ text: p.text.slice(eq + 1), at: p.at + eq + 1 });
    values.set(key, value);
  }
  const int = (key: string, fallback: number | undefined, min: number): number => {
    const v = values.get(key);
    if (!v) {
      if (fallback === undefined) throw new DeclarationError(args.at, `Pi(…) needs ${key}`);
      return fallback;
    }
    return readInteger(v.text, v.at, key, min);
  };
  const inputSize = int('I', undefined, 1);
  const kernelSize = int('K', undefined, 1);
  const stride = int('S', 1, 1);
  const dilation = int('D', 1, 1);
  let padLeft = 0;
  let padRight = 0;
  const pad = values.get('P');
  if (pad) {
    const parts = pad.text.split('/');
    if (parts.length > 2)
      throw new DeclarationError(pad.at, `P is one number or left/right, got '${pad.text}'`);
    padLeft = readInteger(parts[0].trim(), pad.at, 'P', 0);
    padRight = parts.length === 2 ? readInteger(parts[1].trim(), pad.at, 'P', 0) : padLeft;
  }
  const extent = kernelSize + (kernelSize - 1) * (dilation - 1);
  const computed =
    extent <= inputSize + padLeft + padRight
      ? convOutputSize(inputSize, kernelSize, stride, dilation, padLeft, padRight)
      : undefined;
  const given = values.get('O');
  if (!given && computed === undefined) {
    throw new DeclarationError(
      args.at,
      `kernel larger than padded input: dilated kernel ${extent} > input ${inputSize} + padding ${padLeft + padRight}`,
    );
  }
  const outputSize = given ? readInteger(given.text, given.at, 'O', 1) : computed!;
  const rolesPiece = values.get('roles');
  if (rolesPiece && !ROLE_ORDERS.test(rolesPiece.text)) {
    throw new DeclarationError(
      rolesPiece.at,
      `roles are k, o, i each at most once, got '${rolesPiece.text}'`,
    );
  }
  const roles = [...(rolesPiece?.text ?? 'koi')] as PatternRole[];
  const pattern: PatternParams = {
    inputSize,
    kernelSize,
    stride,
    dilation,
    padLeft,
    padRight,
    outputSize,
  };
  const keep: Partial<Record<PatternRole, number[]>> = {};
  for (const role of ['k', 'o', 'i'] as const) {
    const v = values.get(`keep_${role}`);
    if (!v) continue;
    if (!roles.includes(role))
      throw new DeclarationError(v.at, `keep_${role} without a ${role} leg`);
    const full = role === 'k' ? kernelSize : role === 'o' ? outputSize : inputSize;
    const list = v.text.split(/\s+/).filter(Boolean);
    if (list.length === 0) throw new DeclarationError(v.at, `keep_${role} lists no positions`);
    keep[role] = list.map((s) => {
      const j = readInteger(s, v.at, `keep_${role}`, 0);
      if (j >= full)
        throw new DeclarationError(v.at, `keep_${role} position ${j} is outside 0..${full - 1}`);
      return j;
    });
  }
  return {
    kind: 'index_pattern',
    name,
    pattern,
    roles,
    ...(Object.keys(keep).length ? { keep } : {}),
  };
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

function readScalar(text: string, at: number): number | undefined {
  const frac = /^([+-]?\d{1,15})\s*\/\s*(\d{1,15})$/.exec(text);
  if (frac) {
    if (Number(frac[2]) === 0) throw new DeclarationError(at, 'division by zero in a constant');
    return Number(frac[1]) / Number(frac[2]);
  }
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new DeclarationError(at, `constant '${text}' is not a finite number`);
  return value;
}

function readEntry(piece: Piece): Declaration {
  const p = trimmed(piece);
  if (p.text === '') throw new DeclarationError(p.at, 'empty declaration (one entry per operand)');
  const eq = p.text.indexOf('=');
  if (eq < 0) {
    const bare = readScalar(p.text, p.at);
    if (bare !== undefined) return { kind: 'scalar', name: p.text, value: bare };
    const colon = p.text.indexOf(':');
    const name = checkName(colon < 0 ? p.text : p.text.slice(0, colon).trim(), p.at, 'tensor name');
    if (colon < 0) return { kind: 'data', name, input: inputOfName(name) };
    const rest = trimmed({ text: p.text.slice(colon + 1), at: p.at + colon + 1 });
    return { kind: 'data', name, input: checkName(rest.text, rest.at, 'input name') };
  }
  const name = checkName(p.text.slice(0, eq).trim(), p.at, 'tensor name');
  const value = trimmed({ text: p.text.slice(eq + 1), at: p.at + eq + 1 });
  if (value.text === 'delta' || value.text === 'δ') return { kind: 'delta', name };
  const call = /^(Pi|pi|Π)\s*\(([\s\S]*)\)$/u.exec(value.text);
  if (call) {
    const open = value.text.indexOf('(');
    return readPattern({ text: call[2], at: value.at + open + 1 }, name);
  }
  const scalar = readScalar(value.text, value.at);
  if (scalar !== undefined) return { kind: 'scalar', name, value: scalar };
  throw new DeclarationError(value.at, `'${value.text}' is not Pi(…), delta, δ or a number`);
}

/** Reads the declarations after ';' (text) starting at offset `at` of the whole einsum. */
export function parseDeclarations(text: string, at: number): Declaration[] {
  return splitTop(text, at).map(readEntry);
}

function roleList(t: { roles: PatternRole[] }): string {
  return t.roles.join('');
}

/** A name that reads back as one: characters a name cannot have become '_'. */
function safeName(label: string): string {
  const replaced = [...label].map((ch) => (/[\p{L}\p{N}_'′]|\p{M}/u.test(ch) ? ch : '_')).join('');
  const name = /^[\p{L}_]/u.test(replaced) ? replaced : `_${replaced}`;
  return NAME.test(name) ? name : 'T';
}

function labelledByValue(label: string, value: number): boolean {
  try {
    return label.trim() === label && readScalar(label, 0) === value;
  } catch {
    return false;
  }
}

/** A number as a declaration reads it back exactly; small fractions stay fractions (7/4). */
export function scalarText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  for (let q = 2; q <= 4096; q++) {
    const p = Math.round(value * q);
    if (p / q === value && Math.abs(p) < 1e15) return `${p}/${q}`;
  }
  return String(value);
}

/** One declaration per tensor of the network, in its order. */
export function declarationOf(t: Tensor): string {
  const name = safeName(t.label);
  switch (t.kind) {
    case 'data':
      return inputOfName(name) === t.source ? name : `${name}:${safeName(t.source)}`;
    case 'delta':
      return `${name}=δ`;
    case 'scalar':
      // A constant is usually labelled by its value: then the value alone is its entry.
      return labelledByValue(t.label, t.value) ? t.label : `${name}=${scalarText(t.value)}`;
    case 'index_pattern': {
      const p = t.pattern;
      const args = [`I=${p.inputSize}`, `K=${p.kernelSize}`, `S=${p.stride}`];
      args.push(`P=${p.padLeft === p.padRight ? p.padLeft : `${p.padLeft}/${p.padRight}`}`);
      args.push(`D=${p.dilation}`);
      const extent = p.kernelSize + (p.kernelSize - 1) * (p.dilation - 1);
      const computed =
        extent <= p.inputSize + p.padLeft + p.padRight
          ? convOutputSize(p.inputSize, p.kernelSize, p.stride, p.dilation, p.padLeft, p.padRight)
          : undefined;
      if (computed !== p.outputSize) args.push(`O=${p.outputSize}`);
      if (roleList(t) !== 'koi') args.push(`roles=${roleList(t)}`);
      for (const role of ['k', 'o', 'i'] as const) {
        const kept = t.keep?.[role];
        if (kept) args.push(`keep_${role}=${kept.join(' ')}`);
      }
      return `${name}=Pi(${args.join(',')})`;
    }
  }
}

/** The declarations of a network: `x, Π₁=Pi(…), …, W:weight` ('' without tensors). */
export function formatDeclarations(net: Network): string {
  return net.tensors.map(declarationOf).join(', ');
}
