import { fail } from '../errors.ts';
import {
  checkNetwork,
  cloneNetwork,
  outputShape,
  tensorShape,
  type DataTensor,
  type DeltaTensor,
  type Network,
  type Tensor,
} from '../network.ts';
import { freshIndex, freshTensorId, renameIndex } from '../rewrite/edit.ts';
import { deltaRemoval } from '../rewrite/rules/deltaRemoval.ts';
import type { Expression } from '../expression.ts';

/**
 * Graphical differentiation (docs/design.md §2.3). The derivative of a network with respect to
 * one occurrence of a data tensor T is the network with T cut out, T's legs becoming new
 * open legs after the original ones:
 * - a leg of T that was summed and meets other tensors keeps its name and is now open;
 * - a leg of T that was already open (batch n, group g, …) gets a twin `<leg>_d` (primed
 *   with ′ if taken) as the new open leg, tied to it by a Kronecker delta δ(leg, leg_d);
 * - a leg that was summed on T alone becomes open on a one-leg δ, the all-ones vector
 *   (∂/∂T[j] Σ_j T[j] = 1), and a leg T carries twice gets a twin the same way as an
 *   open leg (∂/∂T[a, b] Σ_j T[j, j] = δ(a, b)).
 * The result is laid out as the original result followed by T's input as the user knows
 * it: `resultShape` is the original one followed by T's `sourceShape` (see sourceShapeOf
 * when the network does not record it). Only data tensors are differentiated: Π, δ and scalars
 * are constants fixed by the hyper-parameters.
 */

function requireOpenLegs(net: Network, what: string): void {
  if (net.output.length === 0) {
    fail(
      `cannot take the ${what} of a network with no open legs: its value is one number; give the network an open (output) leg`,
    );
  }
}

function dataSources(net: Network): string[] {
  return [
    ...new Set(net.tensors.filter((t): t is DataTensor => t.kind === 'data').map((t) => t.source)),
  ];
}

function requireDifferentiable(t: Tensor, net: Network): asserts t is DataTensor {
  const inputs = dataSources(net).join(', ') || 'none';
  if (t.kind === 'index_pattern') {
    fail(
      `${t.label} ('${t.id}') is an index pattern, a constant fixed by the hyper-parameters: differentiate with respect to an input (${inputs})`,
    );
  }
  if (t.kind === 'delta')
    fail(
      `${t.label} ('${t.id}') is a Kronecker delta, a constant: differentiate with respect to an input (${inputs})`,
    );
  if (t.kind === 'scalar')
    fail(
      `${t.label} ('${t.id}') is a constant factor: differentiate with respect to an input (${inputs})`,
    );
  const rewritten = t.transforms.find((tr) => tr.kind !== 'reshape');
  if (rewritten) {
    fail(
      `${t.label} carries a ${rewritten.kind} recorded by a rewrite: differentiate the network before simplifying it`,
    );
  }
}

function occurrences(net: Network, source: string): number[] {
  const at: number[] = [];
  net.tensors.forEach((t, pos) => {
    if (t.kind === 'data' && t.source === source) at.push(pos);
  });
  if (at.length === 0)
    fail(
      `no tensor of the network reads input '${source}' (inputs: ${dataSources(net).join(', ') || 'none'})`,
    );
  return at;
}

/**
 * The input's shape as the user gives it. A network that does not record it (the
 * operation builders view inputs through a reshape and keep only the view) gets the
 * library's group convention of docs/design.md §2.2 undone: an input [n, (g c), …] is viewed as
 * [n, g, c, …], so the leg g merges back into the leg after it.
 */
function sourceShapeOf(net: Network, t: DataTensor): number[] {
  if (t.sourceShape) return [...t.sourceShape];
  const shape = tensorShape(net, t);
  const g = t.legs.indexOf('g');
  if (t.transforms.length === 0 || g < 0 || g + 1 >= t.legs.length) return shape;
  return [...shape.slice(0, g), shape[g] * shape[g + 1], ...shape.slice(g + 2)];
}

interface Cut {
  network: Network;
  /** The new open legs, in T's axis order. */
  legs: string[];
  /** Deltas that tie a leg that was open to its twin. */
  twins: { delta: string; leg: string; twin: string }[];
}

function cutOut(net: Network, pos: number): Cut {
  const t = net.tensors[pos];
  requireDifferentiable(t, net);
  const out = cloneNetwork(net);
  out.tensors.splice(pos, 1);
  const inserted: DeltaTensor[] = [];
  const legs: string[] = [];
  const twins: Cut['twins'] = [];
  const addDelta = (deltaLegs: string[]): DeltaTensor => {
    const taken = { ...out, tensors: [...out.tensors, ...inserted] };
    const d: DeltaTensor = {
      id: freshTensorId(taken, 'delta'),
      label: 'δ',
      kind: 'delta',
      legs: deltaLegs,
    };
    inserted.push(d);
    return d;
  };
  t.legs.forEach((leg, axis) => {
    const repeat = t.legs.indexOf(leg) !== axis;
    const open = net.output.includes(leg);
    if (!open && !repeat) {
      if (!out.tensors.some((u) => u.legs.includes(leg))) addDelta([leg]);
      legs.push(leg);
      return;
    }
    const twin = freshIndex(out, `${leg}_d`, legs);
    out.sizes[twin] = net.sizes[leg];
    const d = addDelta([leg, twin]);
    if (open) twins.push({ delta: d.id, leg, twin });
    legs.push(twin);
  });
  out.tensors.splice(pos, 0, ...inserted);
  out.output = [...net.output, ...legs];
  out.resultShape = [...net.resultShape, ...sourceShapeOf(net, t)];
  checkNetwork(out);
  return { network: out, legs, twins };
}

/** ∂(network)/∂T for the tensor occurrence with this id: one network, T cut out. */
export function derivative(net: Network, tensorId: string): Expression {
  requireOpenLegs(net, 'derivative');
  const pos = net.tensors.findIndex((t) => t.id === tensorId);
  if (pos < 0)
    fail(
      `no tensor '${tensorId}' in the network (tensors: ${net.tensors.map((t) => t.id).join(', ')})`,
    );
  return { terms: [{ coefficient: 1, network: cutOut(net, pos).network }] };
}

/** Product rule: the derivative with respect to every occurrence of an input, summed. */
export function derivativeBySource(net: Network, source: string): Expression {
  requireOpenLegs(net, 'derivative');
  return {
    terms: occurrences(net, source).map((pos) => ({
      coefficient: 1,
      network: cutOut(net, pos).network,
    })),
  };
}

function requireNewInput(net: Network, name: string, role: string): void {
  const taken = dataSources(net);
  if (taken.includes(name))
    fail(
      `the ${role} name '${name}' is already an input of the network (inputs: ${taken.join(', ')}); choose another`,
    );
}

const paperLabel = (name: string) => (name === 'v' ? 'V' : name);

/**
 * Vector-Jacobian product: the derivative's original open legs are contracted with a new
 * input V (named `vName`) shaped like the network's result, leaving T's legs open; the
 * result has T's input shape. Once V sits on the old open legs, the deltas that tied them
 * to their twins are removed by renaming, and the twins take their old names back, so the
 * VJP of a convolution reads like the library's.
 */
export function vjp(net: Network, source: string, vName = 'v'): Expression {
  requireOpenLegs(net, 'VJP');
  requireNewInput(net, vName, 'vector');
  const terms = occurrences(net, source).map((pos) => {
    const cut = cutOut(net, pos);
    let d = cut.network;
    const t = net.tensors[pos] as DataTensor;
    const legShape = outputShape(net);
    const sameLayout =
      legShape.length === net.resultShape.length &&
      legShape.every((s, a) => s === net.resultShape[a]);
    const v: DataTensor = {
      id: freshTensorId(d, vName),
      label: paperLabel(vName),
      kind: 'data',
      source: vName,
      legs: [...net.output],
      transforms: sameLayout ? [] : [{ kind: 'reshape', shape: legShape }],
      sourceShape: [...net.resultShape],
    };
    d.tensors.splice(pos, 0, v);
    d.output = [...cut.legs];
    d.resultShape = sourceShapeOf(net, t);
    for (const { delta, leg, twin } of cut.twins) {
      const match = deltaRemoval.find(d).find((m) => m.tensors[0] === delta);
      if (!match) continue;
      d = deltaRemoval.apply(d, match).network;
      if (!d.tensors.some((u) => u.legs.includes(leg)) && !d.output.includes(leg))
        renameIndex(d, twin, leg);
    }
    checkNetwork(d);
    return { coefficient: 1, network: d };
  });
  return { terms };
}

/**
 * Jacobian-vector product: the tangent (input `tangentName`, shaped like the input being
 * differentiated) replaces one occurrence at a time, keeping its legs and transforms.
 */
export function jvp(net: Network, source: string, tangentName = 'v'): Expression {
  requireOpenLegs(net, 'JVP');
  requireNewInput(net, tangentName, 'tangent');
  const terms = occurrences(net, source).map((pos) => {
    const t = net.tensors[pos];
    requireDifferentiable(t, net);
    const out = cloneNetwork(net);
    const others = { ...out, tensors: out.tensors.filter((_, j) => j !== pos) };
    out.tensors[pos] = {
      ...(out.tensors[pos] as DataTensor),
      id: freshTensorId(others, tangentName),
      label: paperLabel(tangentName),
      source: tangentName,
    };
    checkNetwork(out);
    return { coefficient: 1, network: out };
  });
  return { terms };
}
