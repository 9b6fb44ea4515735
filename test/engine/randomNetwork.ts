import { makePattern } from '../../src/core/indexPattern.ts';
import type { DataTransform, Network, PatternRole, Tensor } from '../../src/core/network.ts';
import { dense, type Inputs } from '../../src/core/tensor.ts';
import { rng } from '../helpers/random.ts';

/**
 * Random tensor networks that exercise every operand kind the engine lowers: data tensors
 * (with reshape / slice / select transforms and repeated legs), index patterns with three
 * or two roles (some thinned), Kronecker deltas, scalars, hyperedges and
 * legs summed on a single tensor.
 */
export interface RandomCase {
  net: Network;
  inputs: Inputs;
  seed: number;
}

export function randomNetwork(seed: number): RandomCase {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const sizes: Record<string, number> = {};
  const plain: string[] = [];
  for (let j = 0; j < int(3, 6); j++) {
    const name = `a${j}`;
    sizes[name] = int(1, 4);
    plain.push(name);
  }
  const tensors: Tensor[] = [];
  const inputs: Inputs = {};
  const patternLegs: string[] = [];
  // Index patterns: their i leg is shared with data tensors below.
  for (let p = 0; p < int(0, 3); p++) {
    const kernel = int(1, 3);
    const dilation = int(1, 2);
    const stride = int(1, 3);
    const extent = kernel + (kernel - 1) * (dilation - 1);
    const padLeft = int(0, 2);
    const padRight = int(0, 2);
    const input = Math.max(1, extent - padLeft - padRight + int(0, 4));
    let params = makePattern(input, kernel, stride, dilation, padLeft, padRight);
    const legs = [`k${p}`, `o${p}`, `i${p}`];
    const first = tensors[0];
    let sharesO = false;
    if (
      p > 0 &&
      first?.kind === 'index_pattern' &&
      !first.keep &&
      first.roles.length === 3 &&
      r() < 0.4
    ) {
      // A second copy sharing the output leg, as in KFC: Σ_o Π[k, o, i] Π′[k′, o, i′].
      params = first.pattern;
      legs[1] = first.legs[1];
      sharesO = true;
    }
    sizes[legs[0]] = params.kernelSize;
    sizes[legs[1]] = params.outputSize;
    sizes[legs[2]] = params.inputSize;
    let roles: PatternRole[] = ['k', 'o', 'i'];
    let used = legs;
    if (!sharesO && r() < 0.2) {
      // A summed pattern Π̄[k, i].
      roles = ['k', 'i'];
      used = [legs[0], legs[2]];
    }
    let keep: Partial<Record<PatternRole, number[]>> | undefined;
    if (!sharesO && r() < 0.2 && roles.includes('o') && params.outputSize > 1) {
      // Tensor dropout: a random subset of the output positions.
      const kept = Array.from({ length: params.outputSize }, (_, j) => j).filter(() => r() < 0.6);
      if (kept.length) {
        keep = { o: kept };
        sizes[legs[1]] = kept.length;
      }
    }
    tensors.push({
      id: `Pi${p}`,
      label: `Π${p}`,
      kind: 'index_pattern',
      pattern: params,
      roles,
      legs: used,
      ...(keep ? { keep } : {}),
    });
    patternLegs.push(...used);
  }
  const all = [...plain, ...patternLegs];
  const dataCount = int(1, 4);
  for (let d = 0; d < dataCount; d++) {
    const legs: string[] = [];
    for (let j = 0; j < int(0, 4); j++) legs.push(pick(all));
    // Make sure every pattern's input leg meets some data tensor.
    if (d === 0)
      for (const t of tensors) if (t.kind === 'index_pattern') legs.push(t.legs[t.legs.length - 1]);
    let unique = [...new Set(legs)];
    if (r() < 0.1 && unique.length) unique = [...unique, unique[0]]; // a diagonal
    if (unique.length > 6) unique = unique.slice(0, 6);
    const shape = unique.map((l) => sizes[l]);
    const transforms: DataTransform[] = [];
    let sourceShape = shape;
    const mode = r();
    if (mode < 0.15 && shape.length) {
      sourceShape = [shape.reduce((a, b) => a * b, 1)];
      transforms.push({ kind: 'reshape', shape });
    } else if (mode < 0.3 && shape.length) {
      const axis = int(0, shape.length - 1);
      const step = int(1, 2);
      const start = int(0, 1);
      sourceShape = shape.map((s, a) => (a === axis ? start + (s - 1) * step + 1 + int(0, 1) : s));
      transforms.push({
        kind: 'slice',
        axis,
        start,
        size: shape[axis],
        ...(step > 1 ? { step } : {}),
      });
    } else if (mode < 0.4 && shape.length) {
      const axis = int(0, shape.length - 1);
      const full = shape[axis] + int(0, 2);
      sourceShape = shape.map((s, a) => (a === axis ? full : s));
      transforms.push({
        kind: 'select',
        axis,
        indices: Array.from({ length: shape[axis] }, () => int(0, full - 1)),
      });
    }
    const name = `t${d}`;
    const data = dense(sourceShape);
    for (let j = 0; j < data.data.length; j++) data.data[j] = r() * 2 - 1;
    inputs[name] = data;
    tensors.push({ id: name, label: name, kind: 'data', source: name, transforms, legs: unique });
  }
  // Kronecker deltas over legs of equal size.
  for (let j = 0; j < int(0, 2); j++) {
    const size = int(1, 4);
    const same = plain.filter((l) => sizes[l] === size);
    if (same.length < 1) continue;
    const legs = [...new Set(Array.from({ length: int(1, 3) }, () => pick(same)))];
    tensors.push({ id: `delta${j}`, label: `δ${j}`, kind: 'delta', legs });
  }
  if (r() < 0.5)
    tensors.push({
      id: 'scale',
      label: 's',
      kind: 'scalar',
      legs: [],
      value: Math.round((r() * 4 - 2) * 100) / 100 || 0.5,
    });
  // Shuffle so that kinds are mixed in operand order.
  for (let j = tensors.length - 1; j > 0; j--) {
    const k = Math.floor(r() * (j + 1));
    [tensors[j], tensors[k]] = [tensors[k], tensors[j]];
  }
  const onTensors = [...new Set(tensors.flatMap((t) => t.legs))];
  const output = onTensors.filter(() => r() < 0.4);
  const uniqueOut = [...new Set(output)];
  const resultShape = uniqueOut.map((l) => sizes[l]);
  const usedSizes = Object.fromEntries(
    Object.entries(sizes).filter(([l]) => onTensors.includes(l) || uniqueOut.includes(l)),
  );
  return { net: { sizes: usedSizes, tensors, output: uniqueOut, resultShape }, inputs, seed };
}

/** A random valid linear path: pairs (sometimes a triple or a single) until one operand is left. */
export function randomPath(count: number, seed: number): number[][] {
  const r = rng(seed);
  const path: number[][] = [];
  let n = count;
  if (n === 1) return [[0]];
  while (n > 1) {
    const size = n >= 3 && r() < 0.15 ? 3 : 2;
    const picks = new Set<number>();
    while (picks.size < size) picks.add(Math.floor(r() * n));
    path.push([...picks]);
    n -= size - 1;
  }
  return path;
}
