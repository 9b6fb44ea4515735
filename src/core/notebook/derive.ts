import { errorMessage, fail } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import type { Expression, Term } from '../expression.ts';
import type { Network } from '../network.ts';
import { DEFAULT_APPLIERS, type StepAppliers } from './appliers.ts';
import { buildSource, type BuildOptions } from './build.ts';
import type { DiagramCell, Step, StepKind } from './schema.ts';
import { innerProductNetwork } from './squaredNorm.ts';

/**
 * A diagram is its source network with its steps applied in order. Derivatives by an
 * input that occurs several times give a sum of networks (product rule), so the value of
 * a diagram is a sum, an Expression (src/core/expression.ts). The steps are carried out
 * by src/core/diff, src/core/rewrite and src/core/dropout (DEFAULT_APPLIERS in
 * appliers.ts); `squared_norm` is built in (squaredNorm.ts). Appliers are passed in so a
 * caller can substitute its own (tests, a worker that logs each step).
 */

const PROVIDER: Record<Exclude<StepKind, 'squared_norm'>, string> = {
  derivative: 'src/core/diff',
  vjp: 'src/core/diff',
  jvp: 'src/core/diff',
  simplify: 'src/core/rewrite',
  dropout: 'src/core/dropout',
};

function need<T>(fn: T | undefined, kind: Exclude<StepKind, 'squared_norm'>): T {
  if (!fn) fail(`the '${kind}' step needs ${PROVIDER[kind]}, which is not wired into this build`);
  return fn;
}

/** Terms a diagram's sum may have (the product rule and norms multiply them). */
export const MAX_TERMS = 64;

function bounded(sum: Expression): Expression {
  if (sum.terms.length > MAX_TERMS)
    fail(`the diagram would be a sum of ${sum.terms.length} networks; the limit is ${MAX_TERMS}`);
  return sum;
}

/** The sum after one step. */
export function applyStep(sum: Expression, step: Step, appliers: StepAppliers): Expression {
  const each = (f: (net: Network) => Expression): Expression =>
    bounded({
      terms: sum.terms.flatMap(({ coefficient, network }) =>
        f(network).terms.map((t) => ({
          coefficient: coefficient * t.coefficient,
          network: t.network,
        })),
      ),
    });
  const single = (f: (net: Network) => Network): Expression => ({
    terms: sum.terms.map(({ coefficient, network }) => ({ coefficient, network: f(network) })),
  });
  // A chosen term of a derivative: the diagram continues with that network alone
  // (clamped to the terms there are, as the editor does).
  const pick = (result: Expression, term: number | undefined): Expression =>
    term === undefined
      ? result
      : { terms: [result.terms[Math.min(term, result.terms.length - 1)]] };
  switch (step.kind) {
    case 'derivative':
      return pick(
        each((net) => need(appliers.derivative, 'derivative')(net, step)),
        step.term,
      );
    case 'vjp':
      return pick(
        each((net) => need(appliers.vjp, 'vjp')(net, step)),
        step.term,
      );
    case 'jvp':
      return pick(
        each((net) => need(appliers.jvp, 'jvp')(net, step)),
        step.term,
      );
    case 'simplify':
      return single((net) => need(appliers.simplify, 'simplify')(net, step));
    case 'dropout':
      return single((net) => need(appliers.dropout, 'dropout')(net, step));
    case 'squared_norm': {
      // ‖Σ_j c_j N_j‖² = Σ_{j,l} c_j c_l ⟨N_j, N_l⟩.
      bounded({ terms: new Array<Term>(sum.terms.length ** 2) });
      const largest = Math.max(...sum.terms.map((t) => t.network.tensors.length));
      if (2 * largest > LIMITS.maxTensors)
        fail(`the norm would have ${2 * largest} tensors; the limit is ${LIMITS.maxTensors}`);
      const terms: Term[] = [];
      for (const a of sum.terms) {
        for (const b of sum.terms) {
          terms.push({
            coefficient: a.coefficient * b.coefficient,
            network: innerProductNetwork(a.network, b.network, step.keep),
          });
        }
      }
      return { terms };
    }
  }
}

export type DiagramBuild =
  | {
      ok: true;
      sum: Expression;
      /** After each step (index 0: the source). */ stages: Expression[];
    }
  | { ok: false; error: string; /** The step that failed; -1 for the source. */ step: number };

/** Builds a diagram cell: source network, then every step. Never throws. */
export function buildDiagram(
  cell: Pick<DiagramCell, 'source' | 'steps'>,
  appliers: StepAppliers = DEFAULT_APPLIERS,
  options: BuildOptions = {},
): DiagramBuild {
  let sum: Expression;
  try {
    sum = { terms: [{ coefficient: 1, network: buildSource(cell.source, options) }] };
  } catch (err) {
    return { ok: false, error: `cannot build the diagram: ${errorMessage(err)}`, step: -1 };
  }
  const stages = [sum];
  for (let j = 0; j < cell.steps.length; j++) {
    try {
      sum = applyStep(sum, cell.steps[j], appliers);
    } catch (err) {
      return {
        ok: false,
        error: `step ${j + 1} (${cell.steps[j].kind}): ${errorMessage(err)}`,
        step: j,
      };
    }
    stages.push(sum);
  }
  return { ok: true, sum, stages };
}
