import { convOutputSize } from './indexPattern.ts';
import {
  checkNetwork,
  outputShape,
  type Network,
  type PatternParams,
  type Tensor,
} from './network.ts';

/**
 * A reduced copy of a network: the same tensors, legs, index patterns (kernel, stride,
 * padding, dilation) and constants, with every size cut down so that the float64
 * reference evaluator checks it in moments. What the full network is too large for the
 * reference to check, the reduced copy checks structurally: the engine lowers the same
 * kinds of contraction (gathers for Π, renames for δ) at a smaller size.
 *
 * Data tensors read inputs of their legs' shape directly (a reshape or slice a rewrite
 * recorded belongs to the full sizes). Returns undefined when the sizes cannot be cut
 * consistently (two patterns with different hyper-parameters on one leg, say).
 */
export function reducedCopy(net: Network, limit = 3): Network | undefined {
  const sizes: Record<string, number> = {};
  const assign = (leg: string, size: number): boolean => {
    const known = sizes[leg];
    if (known !== undefined) return known === size;
    sizes[leg] = size;
    return true;
  };
  const tensors: Tensor[] = [];
  for (const t of net.tensors) {
    if (t.kind !== 'index_pattern') continue;
    const pattern = smallerPattern(t.pattern, limit);
    const keep: typeof t.keep = {};
    for (const [role, kept] of Object.entries(t.keep ?? {}) as [keyof typeof keep, number[]][]) {
      const full =
        role === 'k' ? pattern.kernelSize : role === 'o' ? pattern.outputSize : pattern.inputSize;
      const fits = kept.filter((j) => j < full);
      keep[role] = fits.length ? fits : [0];
    }
    const sizeOf = (role: 'k' | 'o' | 'i') =>
      keep[role]?.length ??
      (role === 'k' ? pattern.kernelSize : role === 'o' ? pattern.outputSize : pattern.inputSize);
    if (!t.roles.every((role, j) => assign(t.legs[j], sizeOf(role)))) return undefined;
  }
  // Deltas join legs of one size: a pattern's size wins, else the reduced size.
  for (let changed = true; changed;) {
    changed = false;
    for (const t of net.tensors) {
      if (t.kind !== 'delta') continue;
      const fixed = [...new Set(t.legs.map((l) => sizes[l]).filter((s) => s !== undefined))];
      if (fixed.length > 1) return undefined;
      const size = fixed[0] ?? Math.min(net.sizes[t.legs[0]], limit);
      for (const leg of t.legs) {
        if (sizes[leg] === undefined) {
          sizes[leg] = size;
          changed = true;
        }
      }
    }
  }
  for (const [leg, size] of Object.entries(net.sizes)) sizes[leg] ??= Math.min(size, limit);

  const sourceShapes = new Map<string, string>();
  for (const t of net.tensors) {
    if (t.kind === 'index_pattern') {
      const pattern = smallerPattern(t.pattern, limit);
      const keep = t.keep
        ? Object.fromEntries(
            Object.entries(t.keep).map(([role, kept]) => {
              const full =
                role === 'k'
                  ? pattern.kernelSize
                  : role === 'o'
                    ? pattern.outputSize
                    : pattern.inputSize;
              const fits = kept.filter((j) => j < full);
              return [role, fits.length ? fits : [0]];
            }),
          )
        : undefined;
      tensors.push({ ...structuredClone(t), pattern, ...(keep ? { keep } : {}) });
    } else if (t.kind === 'data') {
      const shape = t.legs.map((l) => sizes[l]).join();
      // Copies of one input (x and x′) must still read one input of one shape.
      const seen = sourceShapes.get(t.source);
      if (seen !== undefined && seen !== shape) return undefined;
      sourceShapes.set(t.source, shape);
      tensors.push({
        id: t.id,
        label: t.label,
        kind: 'data',
        source: t.source,
        transforms: [],
        legs: [...t.legs],
      });
    } else {
      tensors.push(structuredClone(t));
    }
  }
  const reduced: Network = { sizes, tensors, output: [...net.output], resultShape: [] };
  reduced.resultShape = outputShape(reduced);
  try {
    checkNetwork(reduced);
  } catch {
    return undefined;
  }
  return reduced;
}

/** The same kernel, stride, padding and dilation on an input with at most `limit` outputs. */
function smallerPattern(p: PatternParams, limit: number): PatternParams {
  const extent = p.kernelSize + (p.kernelSize - 1) * (p.dilation - 1);
  for (let outputs = Math.min(p.outputSize, limit); outputs >= 1; outputs--) {
    const inputSize = Math.min(
      p.inputSize,
      (outputs - 1) * p.stride + extent - p.padLeft - p.padRight,
    );
    if (inputSize < 1 || extent > inputSize + p.padLeft + p.padRight) continue;
    const outputSize = convOutputSize(
      inputSize,
      p.kernelSize,
      p.stride,
      p.dilation,
      p.padLeft,
      p.padRight,
    );
    if (outputSize >= 1 && outputSize <= p.outputSize) return { ...p, inputSize, outputSize };
  }
  return { ...p };
}
