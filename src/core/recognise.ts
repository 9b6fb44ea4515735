import { transposeOutputSize } from './indexPattern.ts';
import { buildLayerNetwork, layerOpInput, type LayerConfig } from './layer.ts';
import {
  product,
  tensorShape,
  type DataTransform,
  type IndexPatternTensor,
  type Network,
  type Tensor,
} from './network.ts';
import { inputShapes } from './notebook/build.ts';
import { OP_NAMES, type OpName } from './ops/index.ts';
import { simplify } from './rewrite/index.ts';

/**
 * What a network is: an operation of a layer, when the network equals that operation's
 * network up to renaming of indices and inputs after both are simplified. A network
 * reached by hand (Convolution → cut out W → VJP) is then known to be the weight VJP and
 * can be compared with the built-in that computes it.
 */
export interface Recognised {
  op: OpName;
  layer: LayerConfig;
  /** The operation's input name → the network's input name reading the same values. */
  inputs: Record<string, string>;
}

/** Leading reshapes only change how a row-major input is viewed; what follows must agree. */
function essentialTransforms(transforms: readonly DataTransform[]): string {
  let j = 0;
  while (j < transforms.length && transforms[j].kind === 'reshape') j++;
  return JSON.stringify(transforms.slice(j));
}

function scalarProduct(net: Network): number {
  return net.tensors.reduce((p, t) => (t.kind === 'scalar' ? p * t.value : p), 1);
}

function samePattern(a: IndexPatternTensor, b: IndexPatternTensor): boolean {
  return (
    JSON.stringify(a.pattern) === JSON.stringify(b.pattern) &&
    a.roles.join() === b.roles.join() &&
    JSON.stringify(a.keep ?? {}) === JSON.stringify(b.keep ?? {})
  );
}

function compatible(a: Tensor, b: Tensor, na: Network, nb: Network): boolean {
  if (a.kind !== b.kind || a.legs.length !== b.legs.length) return false;
  if (tensorShape(na, a).join() !== tensorShape(nb, b).join()) return false;
  if (a.kind === 'index_pattern' && b.kind === 'index_pattern') return samePattern(a, b);
  if (a.kind === 'data' && b.kind === 'data')
    return essentialTransforms(a.transforms) === essentialTransforms(b.transforms);
  return true;
}

/**
 * A renaming of indices and inputs that turns `a` into `b` (tensors in any order, legs in
 * order, output in order, the same constant factor), as a's input → b's input; undefined
 * when there is none. Backtracking over tensors: networks here have a handful of them.
 */
export function isomorphism(a: Network, b: Network): Record<string, string> | undefined {
  if (a.output.length !== b.output.length) return undefined;
  if (a.resultShape.join() !== b.resultShape.join()) return undefined;
  if (Math.abs(scalarProduct(a) - scalarProduct(b)) > 1e-12 * Math.abs(scalarProduct(b)))
    return undefined;
  const ta = a.tensors.filter((t) => t.kind !== 'scalar');
  const tb = b.tensors.filter((t) => t.kind !== 'scalar');
  if (ta.length !== tb.length) return undefined;
  const legAB = new Map<string, string>();
  const legBA = new Map<string, string>();
  const srcAB = new Map<string, string>();
  const srcBA = new Map<string, string>();
  for (let j = 0; j < a.output.length; j++) {
    if (a.sizes[a.output[j]] !== b.sizes[b.output[j]]) return undefined;
    legAB.set(a.output[j], b.output[j]);
    legBA.set(b.output[j], a.output[j]);
  }
  const used = new Array<boolean>(tb.length).fill(false);
  const bind = (m: Map<string, string>, r: Map<string, string>, x: string, y: string) => {
    const known = m.get(x);
    if (known !== undefined) return known === y ? null : false;
    if (r.has(y)) return false;
    m.set(x, y);
    r.set(y, x);
    return true;
  };
  const match = (k: number): boolean => {
    if (k === ta.length) return true;
    const t = ta[k];
    for (let j = 0; j < tb.length; j++) {
      if (used[j] || !compatible(t, tb[j], a, b)) continue;
      const u = tb[j];
      const added: [Map<string, string>, Map<string, string>, string, string][] = [];
      let ok = true;
      const pairs: [Map<string, string>, Map<string, string>, string, string][] = t.legs.map(
        (leg, axis) => [legAB, legBA, leg, u.legs[axis]],
      );
      if (t.kind === 'data' && u.kind === 'data') pairs.push([srcAB, srcBA, t.source, u.source]);
      for (const [m, r, x, y] of pairs) {
        const res = bind(m, r, x, y);
        if (res === false) {
          ok = false;
          break;
        }
        if (res) added.push([m, r, x, y]);
      }
      if (ok) {
        used[j] = true;
        if (match(k + 1)) return true;
        used[j] = false;
      }
      for (const [m, r, x, y] of added) {
        m.delete(x);
        r.delete(y);
      }
    }
    return false;
  };
  if (!match(0)) return undefined;
  return Object.fromEntries(srcAB);
}

function fullPatterns(net: Network): IndexPatternTensor[] {
  return net.tensors.filter(
    (t): t is IndexPatternTensor =>
      t.kind === 'index_pattern' && t.roles.join('') === 'koi' && !t.keep,
  );
}

/**
 * Layers the network could be an operation of: the one given (the preset it came from),
 * and ones read off its index patterns (spatial hyper-parameters) and input shapes
 * (batch, channels, groups).
 */
function candidateLayers(net: Network, hint?: LayerConfig): LayerConfig[] {
  const layers: LayerConfig[] = hint ? [hint] : [];
  const patterns = fullPatterns(net);
  const shapes = Object.values(inputShapes(net));
  const groupLeg = net.sizes.g;
  for (let dims = 1; dims <= Math.min(3, patterns.length); dims++) {
    const ps = patterns.slice(0, dims).map((t) => t.pattern);
    if (ps.some((p) => p.padLeft !== p.padRight)) continue;
    const kernel = ps.map((p) => p.kernelSize);
    const spatial = {
      kernel,
      stride: ps.map((p) => p.stride),
      padding: ps.map((p) => p.padLeft),
      dilation: ps.map((p) => p.dilation),
    };
    const ends = (s: number[], tail: number[]) =>
      s.length === dims + 2 && s.slice(2).join() === tail.join();
    const inputs = ps.map((p) => p.inputSize);
    const outputs = ps.map((p) => p.outputSize);
    const weight = shapes.find((s) => ends(s, kernel));
    for (const [xSpatial, transpose] of [
      [inputs, false],
      [outputs, true],
    ] as const) {
      const x = shapes.find((s) => ends(s, xSpatial));
      const v = shapes.find((s) => ends(s, transpose ? inputs : outputs));
      const batch = x?.[0] ?? v?.[0];
      if (batch === undefined) continue;
      const groupsOptions = [groupLeg, x && weight && !transpose ? x[1] / weight[1] : undefined, 1];
      for (const groups of groupsOptions) {
        if (!groups || !Number.isInteger(groups)) continue;
        const inChannels =
          x?.[1] ?? (weight ? (transpose ? weight[0] : weight[1] * groups) : undefined);
        const outChannels =
          v?.[1] ?? (weight ? (transpose ? weight[1] * groups : weight[0]) : undefined) ?? groups;
        if (inChannels === undefined) continue;
        const outputPadding = transpose
          ? ps.map(
              (p) =>
                p.inputSize -
                transposeOutputSize(
                  p.outputSize,
                  p.kernelSize,
                  p.stride,
                  p.dilation,
                  p.padLeft,
                  p.padRight,
                  0,
                ),
            )
          : ps.map(() => 0);
        layers.push({
          batch,
          inChannels,
          outChannels,
          input: transpose ? outputs : inputs,
          ...spatial,
          groups,
          outputPadding,
        });
      }
    }
  }
  return layers;
}

/**
 * The operation of a layer this network computes, if any. `hint` is the layer it was
 * built from, when known. Both sides are simplified first, so a simplified network and the
 * operation it came from are recognised alike.
 */
export function recogniseNetwork(net: Network, hint?: LayerConfig): Recognised | undefined {
  let mine: Network;
  try {
    mine = simplify(net).network;
  } catch {
    return undefined;
  }
  const have = inputShapes(net);
  const seen = new Set<string>();
  // Some operations are the same network (the input JVP is the forward convolution of the
  // tangent): the one whose input names the network uses is preferred.
  let first: Recognised | undefined;
  for (const layer of candidateLayers(net, hint)) {
    const key = JSON.stringify(layer);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const op of OP_NAMES) {
      let ref: Network;
      let want: Record<string, readonly number[]>;
      try {
        want = layerOpInput(op, layer).shapes;
        ref = buildLayerNetwork(op, layer);
        if (ref.resultShape.join() !== net.resultShape.join()) continue;
        ref = simplify(ref).network;
      } catch {
        continue;
      }
      const inputs = isomorphism(ref, mine);
      if (!inputs) continue;
      // Every input of the operation is read, with as many values as the network's.
      const complete = Object.entries(want).every(
        ([name, shape]) =>
          inputs[name] !== undefined &&
          have[inputs[name]] !== undefined &&
          product(have[inputs[name]]) === product(shape),
      );
      if (!complete || Object.keys(inputs).length !== Object.keys(have).length) continue;
      const found = { op, layer: structuredClone(layer), inputs };
      if (Object.entries(inputs).every(([a, b]) => a === b)) return found;
      first ??= found;
    }
  }
  return first;
}
