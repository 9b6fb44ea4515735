import { derivative, derivativeBySource, jvp, vjp } from '../diff/index.ts';
import { randomTensorDropout } from '../dropout/index.ts';
import type { Expression } from '../expression.ts';
import type { Network } from '../network.ts';
import { simplify } from '../rewrite/index.ts';
import type { Step, StepKind } from './schema.ts';

type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/**
 * How each step kind is carried out. A differentiation may give a sum of networks (the
 * product rule); the other steps map a network to one network.
 */
export interface StepAppliers {
  derivative?: (net: Network, step: StepOf<'derivative'>) => Expression;
  vjp?: (net: Network, step: StepOf<'vjp'>) => Expression;
  jvp?: (net: Network, step: StepOf<'jvp'>) => Expression;
  simplify?: (net: Network, step: StepOf<'simplify'>) => Network;
  dropout?: (net: Network, step: StepOf<'dropout'>) => Network;
}

/**
 * A name for a new input (the VJP's vector, the JVP's tangent) that no tensor of the
 * network uses yet: `base`, then base2, base3, … — the editor's rule, so a diagram
 * converted between the editor and a notebook names it the same.
 */
export function freshInputName(net: Network, base = 'v'): string {
  const used = new Set(net.tensors.flatMap((t) => (t.kind === 'data' ? [t.source, t.id] : [t.id])));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

/** The steps carried out by the core's differentiation, rewrite and dropout modules. */
export const DEFAULT_APPLIERS: Required<StepAppliers> = {
  derivative: (net, s) =>
    s.occurrence ? derivative(net, s.occurrence) : derivativeBySource(net, s.source),
  vjp: (net, s) => vjp(net, s.source, s.vector ?? freshInputName(net, 'v')),
  jvp: (net, s) => jvp(net, s.source, s.tangent ?? freshInputName(net, 'v')),
  simplify: (net, s) => simplify(net, { disabled: s.disabled, maxSteps: s.steps }).network,
  dropout: (net, s) => randomTensorDropout(net, s.index, s.keep, s.seed).network,
};
