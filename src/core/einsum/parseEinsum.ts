import { EinsketchError } from '../errors.ts';
import { checkShapeLimits, LIMITS } from '../limits.ts';
import { checkNetwork, type Network, type PatternRole, type Tensor } from '../network.ts';
import { DeclarationError, parseDeclarations, type Declaration } from './declarations.ts';

/**
 * Parses an einsum in either style (see format.ts), optionally followed by ';' and one
 * declaration per operand saying what it is (declarations.ts). Errors name the position
 * (0-based character offset) and the problem. Without '->' the output is every index that
 * appears exactly once, sorted, as in numpy.
 */

export interface ParsedEinsum {
  style: 'named' | 'letters';
  operands: string[][];
  output: string[];
  /** Whether the equation had '->'. */
  explicitOutput: boolean;
  /** What each operand is, when the einsum declares it (else every operand is data). */
  declarations?: Declaration[];
}

export class EinsumParseError extends EinsketchError {
  constructor(
    readonly position: number,
    readonly problem: string,
  ) {
    super(`einsum position ${position}: ${problem}`);
  }
}

interface Token {
  name: string;
  pos: number;
}

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{M}\p{N}_'′]/u;

/** A term in the named style is whitespace-separated names; in the letters style, letters. */
function isNamedStyle(equation: string): boolean {
  const terms = equation.split(/,|->/);
  return terms.some((term) => /\S\s+\S/.test(term.trim()) || /[^A-Za-z\s.]/.test(term.trim()));
}

function tokenizeTerm(text: string, offset: number, named: boolean): Token[] {
  const tokens: Token[] = [];
  let j = 0;
  while (j < text.length) {
    const ch = text[j];
    if (/\s/.test(ch)) {
      j++;
      continue;
    }
    if (ch === '.')
      throw new EinsumParseError(offset + j, "ellipsis '...' is not supported; name every index");
    if (!named) {
      if (!/[A-Za-z]/.test(ch))
        throw new EinsumParseError(offset + j, `unexpected character '${ch}'`);
      tokens.push({ name: ch, pos: offset + j });
      j++;
      continue;
    }
    if (!NAME_START.test(ch)) {
      throw new EinsumParseError(
        offset + j,
        `unexpected character '${ch}' (index names start with a letter or '_')`,
      );
    }
    const start = j;
    j++;
    while (j < text.length && NAME_PART.test(text[j])) j++;
    if (j < text.length && !/\s/.test(text[j])) {
      const bad = text[j];
      if (bad === '.')
        throw new EinsumParseError(offset + j, "ellipsis '...' is not supported; name every index");
      throw new EinsumParseError(offset + j, `unexpected character '${bad}' in index name`);
    }
    tokens.push({ name: text.slice(start, j), pos: offset + start });
  }
  return tokens;
}

/**
 * `style` 'auto' reads an equation as letters unless a term has spaces between names or
 * characters other than letters; one multi-letter name per operand ('ab, bc -> ac') is
 * ambiguous, so callers that know the style should say it.
 */
export function parseEquation(
  text: string,
  style: 'named' | 'letters' | 'auto' = 'auto',
): ParsedEinsum {
  if (text.trim() === '') throw new EinsumParseError(0, 'empty equation');
  if (text.length > LIMITS.maxEquationLength) {
    throw new EinsumParseError(
      LIMITS.maxEquationLength,
      `equation longer than ${LIMITS.maxEquationLength} characters`,
    );
  }
  const semicolon = text.indexOf(';');
  const equation = semicolon < 0 ? text : text.slice(0, semicolon);
  if (equation.trim() === '') throw new EinsumParseError(0, "empty equation before ';'");
  const parsed = parseBareEquation(equation, style);
  if (semicolon < 0) return parsed;
  let declarations: Declaration[];
  try {
    declarations = parseDeclarations(text.slice(semicolon + 1), semicolon + 1);
  } catch (err) {
    if (err instanceof DeclarationError) throw new EinsumParseError(err.offset, err.problem);
    throw err;
  }
  if (declarations.length !== parsed.operands.length) {
    throw new EinsumParseError(
      semicolon,
      `the declarations after ';' have ${declarations.length} entries but the equation has ${parsed.operands.length} operands (one entry per operand; a plain name for a data tensor)`,
    );
  }
  declarations.forEach((d, pos) => {
    const legs = parsed.operands[pos];
    const where = `operand ${pos + 1} (${d.name})`;
    if (d.kind === 'scalar' && legs.length > 0)
      throw new EinsumParseError(
        semicolon,
        `${where} is a constant but has indices ${legs.join(' ')}`,
      );
    if (d.kind === 'delta' && legs.length === 0)
      throw new EinsumParseError(semicolon, `${where} is a Kronecker delta but has no indices`);
    if (d.kind === 'index_pattern' && legs.length !== d.roles.length)
      throw new EinsumParseError(
        semicolon,
        `${where} is an index pattern with legs ${d.roles.join(', ')} but has ${legs.length} indices`,
      );
  });
  return { ...parsed, declarations };
}

function parseBareEquation(equation: string, style: 'named' | 'letters' | 'auto'): ParsedEinsum {
  const arrows = [...equation.matchAll(/->/g)];
  if (arrows.length > 1) throw new EinsumParseError(arrows[1].index, "more than one '->'");
  const stray = equation.search(/-(?!>)|(?<!-)>/);
  if (stray >= 0)
    throw new EinsumParseError(
      stray,
      `unexpected character '${equation[stray]}' (the arrow is '->')`,
    );
  const arrowAt = arrows.length === 1 ? arrows[0].index : -1;
  const lhs = arrowAt >= 0 ? equation.slice(0, arrowAt) : equation;
  const named = style === 'auto' ? isNamedStyle(equation) : style === 'named';

  const operands: string[][] = [];
  let offset = 0;
  for (const term of lhs.split(',')) {
    const tokens = tokenizeTerm(term, offset, named);
    operands.push(tokens.map((t) => t.name));
    offset += term.length + 1;
  }

  let output: string[];
  if (arrowAt >= 0) {
    const rhsOffset = arrowAt + 2;
    const rhs = equation.slice(rhsOffset);
    if (rhs.includes(','))
      throw new EinsumParseError(rhsOffset + rhs.indexOf(','), "the output after '->' has a ','");
    const tokens = tokenizeTerm(rhs, rhsOffset, named);
    const known = new Set(operands.flat());
    const seen = new Set<string>();
    for (const tok of tokens) {
      if (seen.has(tok.name))
        throw new EinsumParseError(tok.pos, `index '${tok.name}' appears twice in the output`);
      if (!known.has(tok.name))
        throw new EinsumParseError(tok.pos, `output index '${tok.name}' is on no operand`);
      seen.add(tok.name);
    }
    output = tokens.map((t) => t.name);
  } else {
    const count = new Map<string, number>();
    for (const legs of operands) for (const leg of legs) count.set(leg, (count.get(leg) ?? 0) + 1);
    output = [...count]
      .filter(([, c]) => c === 1)
      .map(([name]) => name)
      .sort();
  }
  return { style: named ? 'named' : 'letters', operands, output, explicitOutput: arrowAt >= 0 };
}

export interface ParseOptions {
  /** Label / input name of each operand; defaults to T1, T2, … */
  names?: string[];
  style?: 'named' | 'letters' | 'auto';
}

/**
 * An einsum with one shape per operand as a network of data tensors. The result shape is
 * the output's own shape.
 */
/** Sizes the declarations fix: every leg of an index pattern (K, O, I or the kept count). */
export function declaredSizes(parsed: ParsedEinsum): Record<string, number> {
  const sizes: Record<string, number> = {};
  parsed.declarations?.forEach((d, pos) => {
    if (d.kind !== 'index_pattern') return;
    parsed.operands[pos].forEach((leg, axis) => {
      sizes[leg] = roleSize(d, d.roles[axis]);
    });
  });
  return sizes;
}

function roleSize(d: Extract<Declaration, { kind: 'index_pattern' }>, role: PatternRole): number {
  const p = d.pattern;
  return (
    d.keep?.[role]?.length ??
    (role === 'k' ? p.kernelSize : role === 'o' ? p.outputSize : p.inputSize)
  );
}

/** Tensor ids: the name, made unique (two δ become δ and δ_2). */
function uniqueId(name: string, used: Set<string>): string {
  let id = name;
  for (let n = 2; used.has(id); n++) id = `${name}_${n}`;
  used.add(id);
  return id;
}

function declaredTensor(d: Declaration, legs: string[], id: string): Tensor {
  switch (d.kind) {
    case 'data':
      return { id, label: d.name, kind: 'data', source: d.input, transforms: [], legs: [...legs] };
    case 'delta':
      return { id, label: d.name, kind: 'delta', legs: [...legs] };
    case 'scalar':
      return { id, label: d.name, kind: 'scalar', value: d.value, legs: [] };
    case 'index_pattern':
      return {
        id,
        label: d.name,
        kind: 'index_pattern',
        pattern: { ...d.pattern },
        roles: [...d.roles],
        ...(d.keep ? { keep: structuredClone(d.keep) } : {}),
        legs: [...legs],
      };
  }
}

export function parseEinsum(
  equation: string,
  shapes: readonly (readonly number[])[],
  options: ParseOptions = {},
): Network {
  const parsed = parseEquation(equation, options.style);
  if (shapes.length !== parsed.operands.length) {
    throw new EinsketchError(
      `the equation has ${parsed.operands.length} operands but ${shapes.length} shapes were given`,
    );
  }
  const sizes: Record<string, number> = {};
  const ids = new Set<string>();
  const tensors: Tensor[] = parsed.operands.map((legs, pos) => {
    const shape = shapes[pos];
    if (shape.length !== legs.length) {
      throw new EinsketchError(
        `operand ${pos + 1} has ${legs.length} indices but its shape [${shape.join(', ')}] has ${shape.length} axes`,
      );
    }
    checkShapeLimits(shape, `operand ${pos + 1}`);
    legs.forEach((leg, axis) => {
      const size = shape[axis];
      if (!Number.isInteger(size) || size < 1) {
        throw new EinsketchError(
          `operand ${pos + 1}, index '${leg}': size must be a positive integer, got ${size}`,
        );
      }
      const known = sizes[leg];
      if (known !== undefined && known !== size) {
        throw new EinsketchError(
          `index '${leg}' has size ${known} in one place but ${size} in operand ${pos + 1}`,
        );
      }
      sizes[leg] = size;
    });
    const declared = parsed.declarations?.[pos];
    if (declared?.kind === 'index_pattern') {
      declared.roles.forEach((role, axis) => {
        if (shape[axis] !== roleSize(declared, role)) {
          throw new EinsketchError(
            `operand ${pos + 1} (${declared.name}): its ${role} leg '${legs[axis]}' has size ${shape[axis]} but the pattern's is ${roleSize(declared, role)}`,
          );
        }
      });
    }
    const name = declared?.name ?? options.names?.[pos] ?? `T${pos + 1}`;
    const id = uniqueId(name, ids);
    return declared
      ? declaredTensor(declared, legs, id)
      : { id, label: name, kind: 'data' as const, source: name, transforms: [], legs: [...legs] };
  });
  const resultShape = parsed.output.map((leg) => sizes[leg]);
  if (tensors.length > LIMITS.maxTensors) {
    throw new EinsketchError(
      `the equation has ${tensors.length} operands; the limit is ${LIMITS.maxTensors}`,
    );
  }
  const net = { sizes, tensors, output: parsed.output, resultShape };
  // Declared deltas must join legs of one size; patterns were checked above.
  if (parsed.declarations) checkNetwork(net);
  return net;
}
