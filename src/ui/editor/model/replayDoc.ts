import { fail } from '../../../core/errors.ts';
import { buildLayerNetwork } from '../../../core/layer.ts';
import type { Network } from '../../../core/network.ts';
import { simplify, type LoggedStep } from '../../../core/rewrite/index.ts';
import type { Term } from '../../../core/expression.ts';
import { derivative, derivativeBySource, jvp, vjp } from '../../../core/diff/index.ts';
import { randomTensorDropout } from '../../../core/dropout/index.ts';
import type { RewriteStep } from '../../../core/rewrite/index.ts';
import type { Action, Doc, Source } from './doc.ts';
import { einsumNetwork } from './einsumInput.ts';
import { withTestFaults } from './testHooks.ts';

/**
 * Replays a document: builds the source network and applies every action in order. Pure
 * and deterministic, so the store can re-derive after any edit (and undo is just a
 * previous document).
 */
export interface SimplifyView {
  /** Position of the simplify action in doc.actions. */
  actionIndex: number;
  base: Network;
  /** Every step to the fixed point; the diagram shows the network after `at` of them. */
  steps: LoggedStep[];
  at: number;
}

export interface ExpressionView {
  actionIndex: number;
  terms: Term[];
  term: number;
}

export interface Derived {
  network: Network;
  /** The most recent differentiation, when it gave several terms or is the last action. */
  expression?: ExpressionView;
  /** Present when the last action is a simplification. */
  simplify?: SimplifyView;
  /** What the formula shows: the whole sum right after a differentiation, else the network. */
  formula: Term[];
  /** Tensors and indices the shown simplification step (or a dropout just done) changed. */
  highlight: { tensors: string[]; legs: string[] };
}

export function sourceNetwork(source: Source): Network {
  switch (source.kind) {
    case 'preset':
      return buildLayerNetwork(source.op, source.layer);
    case 'einsum':
      return einsumNetwork(source.equation, source.shapes);
    case 'network':
      return structuredClone(source.network);
  }
}

/** A name for the new vector / tangent that no data tensor of the network reads yet. */
export function freshSourceName(net: Network, base = 'v'): string {
  const used = new Set(net.tensors.flatMap((t) => (t.kind === 'data' ? [t.source, t.id] : [t.id])));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

function findTensor(net: Network, id: string) {
  const t = net.tensors.find((x) => x.id === id);
  if (!t) fail(`the network has no tensor '${id}' any more`);
  return t;
}

function differentiate(
  net: Network,
  action: Extract<Action, { kind: 'derivative' | 'vjp' | 'jvp' }>,
): Term[] {
  const t = findTensor(net, action.tensorId);
  if (action.kind === 'derivative' && !action.allOccurrences) return derivative(net, t.id).terms;
  if (t.kind !== 'data')
    fail(`${t.label} is not a data tensor: only data tensors have a VJP or JVP`);
  const source = action.source ?? t.source;
  if (action.kind === 'derivative') return derivativeBySource(net, source).terms;
  if (action.kind === 'vjp') return vjp(net, source, freshSourceName(net, 'v')).terms;
  return jvp(net, source, freshSourceName(net, 'v')).terms;
}

export function derive(doc: Doc): Derived {
  let network = sourceNetwork(doc.source);
  let expression: ExpressionView | undefined;
  let simplifyView: SimplifyView | undefined;
  let formula: Term[] | undefined;
  let dropped: RewriteStep | undefined;
  doc.actions.forEach((action, actionIndex) => {
    simplifyView = undefined;
    formula = undefined;
    dropped = undefined;
    switch (action.kind) {
      case 'derivative':
      case 'vjp':
      case 'jvp': {
        const terms = differentiate(network, action);
        if (terms.length === 0)
          fail('the derivative is zero: the network does not contain that tensor');
        const term = Math.min(Math.max(0, action.term), terms.length - 1);
        expression = { actionIndex, terms, term };
        formula = terms;
        network = terms[term].network;
        break;
      }
      case 'simplify': {
        const result = simplify(network, { disabled: doc.disabledRules });
        result.steps = withTestFaults(result.steps);
        const at =
          action.at === 'end'
            ? result.steps.length
            : Math.min(Math.max(0, action.at), result.steps.length);
        simplifyView = { actionIndex, base: network, steps: result.steps, at };
        network = at === 0 ? network : result.steps[at - 1].network;
        break;
      }
      case 'dropout': {
        const result = randomTensorDropout(network, action.index, action.fraction, action.seed);
        network = result.network;
        dropped = result.step;
        break;
      }
    }
  });
  const shown = simplifyView as SimplifyView | undefined;
  const step =
    shown && shown.at > 0 ? shown.steps[shown.at - 1].step : (dropped as RewriteStep | undefined);
  return {
    network,
    expression,
    simplify: shown,
    formula: formula ?? [{ coefficient: 1, network }],
    highlight: { tensors: step?.tensors ?? [], legs: step?.legs ?? [] },
  };
}
