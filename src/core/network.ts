import { fail } from './errors.ts';

/**
 * The tensor-network model. A network is a set of tensors whose legs are named indices;
 * an index shared by several tensors is summed over unless it is an open (output) leg.
 * An index on more than two tensors is a hyperedge. Nothing here holds tensor data: data
 * tensors name the request input they are read from and the transforms (reshape, slice)
 * that rewrite rules recorded for the engine to apply.
 */

export type TensorKind = 'data' | 'index_pattern' | 'delta' | 'scalar';

/** Hyper-parameters of one spatial dimension of a convolution, which define Π. */
export interface PatternParams {
  inputSize: number;
  kernelSize: number;
  stride: number;
  dilation: number;
  padLeft: number;
  padRight: number;
  outputSize: number;
}

/** The role of a leg of an index pattern: kernel leg k, output leg o, input leg i. */
export type PatternRole = 'k' | 'o' | 'i';

export type DataTransform =
  /** Row-major reshape of the whole tensor (splitting or merging axes). */
  | { kind: 'reshape'; shape: number[] }
  /** Keep entries start, start+step, … (size of them) along one axis. */
  | { kind: 'slice'; axis: number; start: number; size: number; step?: number }
  /**
   * Keep the listed entries along one axis, in that order (a gather). Tensor dropout
   * records one to thin a summed index to a random subset.
   */
  | { kind: 'select'; axis: number; indices: number[] };

interface TensorBase {
  /** Unique within the network. */
  id: string;
  /** What the paper calls it (x, W, Π₁, δ, V, x′); shown in diagrams and formulas. */
  label: string;
  /** Index names, one per axis of the tensor, in axis order. */
  legs: string[];
}

export interface DataTensor extends TensorBase {
  kind: 'data';
  /** Name of the input the values come from (x, weight, v, …). */
  source: string;
  /** Applied in order to the input before it is used with these legs. */
  transforms: DataTransform[];
  /**
   * Shape of the input as the user gives it, before the transforms. Differentiation lays
   * the derivative out in this shape; without it, a reshaped tensor's input shape is
   * unknown and the derivative keeps the shape of the legs.
   */
  sourceShape?: number[];
}

export interface IndexPatternTensor extends TensorBase {
  kind: 'index_pattern';
  pattern: PatternParams;
  /**
   * Role of each leg, parallel to legs. Normally ['k', 'o', 'i']; a role that is missing
   * has been summed over (the summed pattern Π̄[k, i] = Σ_o Π[k, o, i] has ['k', 'i']).
   */
  roles: PatternRole[];
  /**
   * Positions of the full pattern kept along a role, in order (tensor dropout thins a
   * leg of Π to a random subset); that role's leg then has as many entries as listed.
   */
  keep?: Partial<Record<PatternRole, number[]>>;
}

/** Kronecker delta: 1 where all legs carry the same value, else 0. */
export interface DeltaTensor extends TensorBase {
  kind: 'delta';
}

/** A constant factor with no legs. */
export interface ScalarTensor extends TensorBase {
  kind: 'scalar';
  value: number;
}

export type Tensor = DataTensor | IndexPatternTensor | DeltaTensor | ScalarTensor;

export interface Network {
  /** Size of every index used by a leg or the output. */
  sizes: Record<string, number>;
  tensors: Tensor[];
  /** Open legs in the order of the result's axes. */
  output: string[];
  /** PyTorch-layout shape: the result over `output` reshaped row-major to this shape. */
  resultShape: number[];
}

export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

export function tensorShape(net: Network, t: Tensor): number[] {
  return t.legs.map((leg) => net.sizes[leg]);
}

export function outputShape(net: Network): number[] {
  return net.output.map((leg) => net.sizes[leg]);
}

/** Indices that appear on some tensor or the output, in order of first appearance. */
export function allIndices(net: Network): string[] {
  const seen = new Set<string>();
  for (const t of net.tensors) for (const leg of t.legs) seen.add(leg);
  for (const leg of net.output) seen.add(leg);
  return [...seen];
}

/** Tensors (by position) that carry an index; more than two makes it a hyperedge. */
export function tensorsOnIndex(net: Network, index: string): number[] {
  const at: number[] = [];
  net.tensors.forEach((t, pos) => {
    if (t.legs.includes(index)) at.push(pos);
  });
  return at;
}

export function isHyperedge(net: Network, index: string): boolean {
  const n = tensorsOnIndex(net, index).length + (net.output.includes(index) ? 1 : 0);
  return n > 2;
}

export function cloneNetwork(net: Network): Network {
  return structuredClone(net);
}

/** Shape a data tensor has after its transforms, starting from the input's shape. */
export function transformedShape(
  inputShape: readonly number[],
  transforms: readonly DataTransform[],
): number[] {
  let shape = [...inputShape];
  for (const tr of transforms) {
    if (tr.kind === 'reshape') {
      if (product(tr.shape) !== product(shape)) {
        fail(`cannot reshape [${shape.join(', ')}] to [${tr.shape.join(', ')}]`);
      }
      shape = [...tr.shape];
    } else if (tr.kind === 'select') {
      const len = shape[tr.axis];
      if (len === undefined) fail(`select axis ${tr.axis} out of range for [${shape.join(', ')}]`);
      const bad = tr.indices.find((j) => !Number.isInteger(j) || j < 0 || j >= len);
      if (bad !== undefined) fail(`select index ${bad} out of range for axis of size ${len}`);
      shape[tr.axis] = tr.indices.length;
    } else {
      const step = tr.step ?? 1;
      const len = shape[tr.axis];
      if (len === undefined) fail(`slice axis ${tr.axis} out of range for [${shape.join(', ')}]`);
      if (tr.start < 0 || tr.size < 0 || (tr.size > 0 && tr.start + (tr.size - 1) * step >= len)) {
        fail(
          `slice ${tr.start}:${tr.start + tr.size * step}:${step} out of range for axis of size ${len}`,
        );
      }
      shape[tr.axis] = tr.size;
    }
  }
  return shape;
}

/** Sizes an index pattern's legs must have, by role. */
export function patternRoleSize(p: PatternParams, role: PatternRole): number {
  return role === 'k' ? p.kernelSize : role === 'o' ? p.outputSize : p.inputSize;
}

/** Size of the leg with this role on a pattern tensor: the kept positions if thinned. */
export function patternLegSize(t: IndexPatternTensor, role: PatternRole): number {
  return t.keep?.[role]?.length ?? patternRoleSize(t.pattern, role);
}

/**
 * Structural consistency: every leg has a positive integer size, deltas join equal sizes,
 * pattern legs match their hyper-parameters, output legs are distinct, and the result
 * shape holds as many entries as the output. Throws an EinsketchError naming the problem.
 */
export function checkNetwork(net: Network): void {
  const ids = new Set<string>();
  for (const t of net.tensors) {
    if (ids.has(t.id)) fail(`tensor id '${t.id}' is used twice`);
    ids.add(t.id);
    for (const leg of t.legs) {
      const size = net.sizes[leg];
      if (size === undefined) fail(`leg '${leg}' of tensor ${t.label} has no size`);
      if (!Number.isInteger(size) || size < 1) fail(`index '${leg}' has invalid size ${size}`);
    }
    if (t.kind === 'delta') {
      if (t.legs.length < 1) fail(`Kronecker delta ${t.label} has no legs`);
      const s0 = net.sizes[t.legs[0]];
      for (const leg of t.legs) {
        if (net.sizes[leg] !== s0)
          fail(`Kronecker delta ${t.label} joins legs of sizes ${s0} and ${net.sizes[leg]}`);
      }
    }
    if (t.kind === 'data' && t.sourceShape) {
      const shape = transformedShape(t.sourceShape, t.transforms);
      if (shape.length !== t.legs.length || shape.some((s, a) => s !== net.sizes[t.legs[a]])) {
        fail(
          `${t.label}: input shape [${t.sourceShape.join(', ')}] becomes [${shape.join(', ')}] after its transforms, but its legs need [${tensorShape(net, t).join(', ')}]`,
        );
      }
    }
    if (t.kind === 'scalar' && t.legs.length > 0) fail(`scalar ${t.label} must have no legs`);
    if (t.kind === 'index_pattern') {
      if (t.roles.length !== t.legs.length)
        fail(`index pattern ${t.label} has ${t.legs.length} legs but ${t.roles.length} roles`);
      for (const [role, kept] of Object.entries(t.keep ?? {}) as [PatternRole, number[]][]) {
        if (!t.roles.includes(role))
          fail(`index pattern ${t.label} keeps positions of a ${role} leg it does not have`);
        const full = patternRoleSize(t.pattern, role);
        if (kept.some((j) => !Number.isInteger(j) || j < 0 || j >= full)) {
          fail(`index pattern ${t.label}: kept ${role} positions must lie in 0..${full - 1}`);
        }
      }
      t.roles.forEach((role, j) => {
        const want = patternLegSize(t, role);
        if (net.sizes[t.legs[j]] !== want) {
          fail(
            `index pattern ${t.label}: ${role} leg '${t.legs[j]}' has size ${net.sizes[t.legs[j]]}, expected ${want}`,
          );
        }
      });
    }
  }
  const seen = new Set<string>();
  for (const leg of net.output) {
    if (seen.has(leg)) fail(`open leg '${leg}' appears twice in the output`);
    seen.add(leg);
    if (net.sizes[leg] === undefined) fail(`open leg '${leg}' has no size`);
  }
  if (product(outputShape(net)) !== product(net.resultShape)) {
    fail(
      `result shape [${net.resultShape.join(', ')}] does not match the open legs [${outputShape(net).join(', ')}]`,
    );
  }
}
