import { EinsketchError } from '../../../core/errors.ts';
import { declaredSizes, parseEinsum, parseEquation } from '../../../core/einsum/index.ts';
import type { Network } from '../../../core/network.ts';

/**
 * Shapes for an einsum typed by hand, in whichever form is quickest to write:
 * - index sizes: `n=8 c_in=3 i1=32` (every index of the equation needs one),
 * - one shape per operand: `8x3x32; 3x3` (dims split by x, × , or spaces; operands by ;),
 * - JSON: `[[8, 3, 32], [3, 3]]`.
 */
export function parseShapes(
  text: string,
  operands: readonly string[][],
  known: Readonly<Record<string, number>> = {},
): number[][] {
  const t = text.trim();
  const allKnown = operands.every((legs) => legs.every((leg) => known[leg] !== undefined));
  if (t === '' && allKnown) return operands.map((legs) => legs.map((leg) => known[leg]));
  if (t === '') throw new EinsketchError('give the operand shapes, or index sizes such as n=8 c=3');
  if (t.includes('=')) {
    // Sizes an index pattern's declaration fixes need not be repeated.
    const sizes: Record<string, number> = { ...known };
    for (const pair of t.split(/[\s,;]+/).filter(Boolean)) {
      const m = /^([^=]+)=(\d+)$/.exec(pair);
      if (!m) throw new EinsketchError(`cannot read index size '${pair}' (write name=size)`);
      sizes[m[1]] = Number(m[2]);
    }
    return operands.map((legs) =>
      legs.map((leg) => {
        const size = sizes[leg];
        if (size === undefined) throw new EinsketchError(`index '${leg}' has no size`);
        return size;
      }),
    );
  }
  if (t.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (_err) {
      throw new EinsketchError('the shapes are not valid JSON');
    }
    if (
      !Array.isArray(value) ||
      !value.every((s) => Array.isArray(s) && s.every((n) => typeof n === 'number'))
    ) {
      throw new EinsketchError('JSON shapes must be a list of lists of numbers');
    }
    return value as number[][];
  }
  return t.split(';').map((part) => {
    const dims = part
      .trim()
      .split(/[\s,x×]+/)
      .filter(Boolean);
    return dims.map((d) => {
      if (!/^\d+$/.test(d))
        throw new EinsketchError(`cannot read size '${d}' in shape '${part.trim()}'`);
      return Number(d);
    });
  });
}

/**
 * The network of an einsum with shapes; operands are named T1, T2, … unless declarations
 * after ';' name them (and say which are index patterns, deltas or constants).
 */
export function einsumNetwork(equation: string, shapesText: string): Network {
  const parsed = parseEquation(equation);
  const shapes = parseShapes(shapesText, parsed.operands, declaredSizes(parsed));
  return parseEinsum(equation, shapes, { style: parsed.style });
}

/** An einsum typed by hand as a diagram source (its shapes read as parseShapes does). */
export function einsumSource(
  equation: string,
  shapesText: string,
): { kind: 'einsum'; equation: string; shapes: number[][] } {
  const parsed = parseEquation(equation);
  return {
    kind: 'einsum',
    equation,
    shapes: parseShapes(shapesText, parsed.operands, declaredSizes(parsed)),
  };
}
