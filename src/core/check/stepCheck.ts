import type { Term } from '../expression.ts';
import { product, type Network } from '../network.ts';
import { requireInputShapes } from '../notebook/build.ts';
import { planNetwork } from '../planner/index.ts';
import { evaluateReference } from '../reference/evaluateReference.ts';
import type { DenseTensor, Inputs } from '../tensor.ts';
import { seededUniform } from '../random.ts';

/**
 * Numerical checks of derivation steps on random inputs in float64, the way tensorgrad
 * checks its rewrites: a rewrite must keep the value (up to the reshape of the result a
 * rule records), a derivative must agree with a central difference of the network.
 */
export type StepVerdict =
  | { status: 'ok'; diff: number }
  /** The step changed the value: `diff` is the largest entry of the difference. */
  | { status: 'changed'; diff: number }
  | { status: 'skipped'; reason: string };

/** Dense work the float64 evaluator takes on for one check (a fraction of a second). */
export const CHECK_MAX_FLOPS = 2e7;
/**
 * Relative tolerances: a rewrite only reorders float64 sums; a central difference is exact
 * up to rounding when the input occurs at most twice, and within h² beyond.
 */
const REWRITE_TOLERANCE = 1e-9;
const DIFFERENCE_TOLERANCE = 1e-5;

function rng(seed: number): () => number {
  const next = seededUniform(seed);
  return () => next() * 2 - 1;
}

export function randomInputs(shapes: Record<string, number[]>, seed: number): Inputs {
  const next = rng(seed);
  const inputs: Inputs = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const data = new Float64Array(product(shape));
    for (let j = 0; j < data.length; j++) data[j] = next();
    inputs[name] = { shape: [...shape], data };
  }
  return inputs;
}

/** Greedy plans: checks run while the user works, and the planner's search would dominate. */
const plan = (net: Network) => planNetwork(net, { algorithm: 'greedy' });

function affordable(net: Network): string | undefined {
  const { flops } = plan(net);
  if (flops > CHECK_MAX_FLOPS) return `too large to check (${flops.toExponential(1)} dense FLOPs)`;
  return undefined;
}

function value(net: Network, inputs: Inputs): DenseTensor {
  return evaluateReference(net, inputs, plan(net).path);
}

function verdict(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number): StepVerdict {
  if (got.length !== want.length) return { status: 'changed', diff: Infinity };
  let diff = 0;
  let scale = 0;
  for (let j = 0; j < want.length; j++) {
    diff = Math.max(diff, Math.abs(got[j] - want[j]));
    scale = Math.max(scale, Math.abs(want[j]));
  }
  return diff <= tolerance * Math.max(1, scale)
    ? { status: 'ok', diff }
    : { status: 'changed', diff };
}

/** A rewrite keeps the value: both networks on the same random inputs. */
export function checkRewrite(before: Network, after: Network, seed = 1): StepVerdict {
  try {
    const big = affordable(before) ?? affordable(after);
    if (big) return { status: 'skipped', reason: big };
    const inputs = randomInputs(requireInputShapes(before), seed);
    return verdict(value(after, inputs).data, value(before, inputs).data, REWRITE_TOLERANCE);
  } catch (err) {
    return { status: 'skipped', reason: err instanceof Error ? err.message : String(err) };
  }
}

function sumOfTerms(terms: readonly Term[], inputs: Inputs): Float64Array {
  let out: Float64Array | undefined;
  for (const { coefficient, network } of terms) {
    const v = value(network, inputs).data;
    out ??= new Float64Array(v.length);
    if (v.length !== out.length) return new Float64Array(0);
    for (let j = 0; j < v.length; j++) out[j] += coefficient * v[j];
  }
  return out ?? new Float64Array(0);
}

/**
 * A differentiation of `net` by input `source` against a central difference along a random
 * direction E (exact for networks in which the input occurs at most twice, as a quadratic
 * has no third derivative):
 * - derivative: the terms, contracted with E over the input's axes (they come last);
 * - jvp: the terms with the tangent input `extra` = E;
 * - vjp: ⟨terms with the vector `extra` = V, E⟩ against ⟨V, difference⟩.
 */
export function checkDifferentiation(
  net: Network,
  kind: 'derivative' | 'vjp' | 'jvp',
  source: string,
  terms: readonly Term[],
  extra: string | undefined,
  seed = 1,
): StepVerdict {
  try {
    const big = affordable(net) ?? terms.map((t) => affordable(t.network)).find(Boolean);
    if (big) return { status: 'skipped', reason: big };
    const shapes = requireInputShapes(net);
    const inputs = randomInputs(shapes, seed);
    const shape = shapes[source];
    if (!shape) return { status: 'skipped', reason: `the network reads no input '${source}'` };
    const direction = randomInputs({ [source]: shape }, seed + 7919)[source];
    const h = 1e-3;
    const shifted = (sign: number): Inputs => ({
      ...inputs,
      [source]: {
        shape: [...shape],
        data: inputs[source].data.map((x, j) => x + sign * h * direction.data[j]),
      },
    });
    const plus = value(net, shifted(1)).data;
    const minus = value(net, shifted(-1)).data;
    const difference = plus.map((p, j) => (p - minus[j]) / (2 * h));
    if (kind === 'jvp') {
      const got = sumOfTerms(terms, { ...inputs, [extra ?? 'v']: direction });
      return verdict(got, difference, DIFFERENCE_TOLERANCE);
    }
    if (kind === 'vjp') {
      const v = randomInputs({ [extra ?? 'v']: net.resultShape }, seed + 104729)[extra ?? 'v'];
      const got = sumOfTerms(terms, { ...inputs, [extra ?? 'v']: v });
      let lhs = 0;
      for (let j = 0; j < got.length; j++) lhs += got[j] * direction.data[j];
      let rhs = 0;
      for (let j = 0; j < difference.length; j++) rhs += v.data[j] * difference[j];
      return verdict([lhs], [rhs], DIFFERENCE_TOLERANCE);
    }
    const d = sumOfTerms(terms, inputs);
    const inner = direction.data.length;
    if (d.length !== difference.length * inner) return { status: 'changed', diff: Infinity };
    const contracted = new Float64Array(difference.length);
    for (let r = 0; r < difference.length; r++) {
      let s = 0;
      for (let c = 0; c < inner; c++) s += d[r * inner + c] * direction.data[c];
      contracted[r] = s;
    }
    return verdict(contracted, difference, DIFFERENCE_TOLERANCE);
  } catch (err) {
    return { status: 'skipped', reason: err instanceof Error ? err.message : String(err) };
  }
}
