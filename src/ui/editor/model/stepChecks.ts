import {
  checkDifferentiation,
  checkRewrite,
  type StepVerdict,
} from '../../../core/check/stepCheck.ts';
import { smallLayer } from '../../../core/check/smallLayer.ts';
import { derive, freshSourceName, sourceNetwork, type Derived } from './replayDoc.ts';
import type { Doc } from './doc.ts';

/**
 * Every step of the current derivation checked numerically on a small random instance:
 * the same preset on a small layer (same kernel, stride, padding, dilation and groups, and
 * input sizes with the same remainders, so the same rules apply), or the network itself
 * when it has no layer. Runs off the render path (see the check store).
 */
export interface DerivationChecks {
  /** Per simplification step shown, in order. */
  simplify: StepVerdict[];
  /** The last differentiation (derivative, VJP or JVP), when there is one. */
  differentiation?: StepVerdict;
  /** The sizes it was checked at, in words. */
  instance: string;
}

export { smallLayer };

function instanceOf(doc: Doc): { doc: Doc; derived: Derived; instance: string } | undefined {
  if (doc.source.kind !== 'preset') return undefined;
  const layer = smallLayer(doc.source.layer);
  const small: Doc = { ...doc, source: { ...doc.source, layer } };
  try {
    const derived = derive(small);
    return {
      doc: small,
      derived,
      instance: `batch ${layer.batch}, channels ${layer.inChannels}→${layer.outChannels}, input ${layer.input.join('×')}`,
    };
  } catch {
    return undefined;
  }
}

export function checkDerivation(doc: Doc, shown: Derived, seed = 1): DerivationChecks {
  const small = instanceOf(doc);
  // The small instance stands in only if the simplifier took the same steps there.
  const rules = (d: Derived) => d.simplify?.steps.map((s) => s.step.rule).join() ?? '';
  const use =
    small && rules(small.derived) === rules(shown)
      ? small
      : { doc, derived: shown, instance: 'the network’s own sizes' };
  const { derived } = use;
  const simplify: StepVerdict[] = [];
  if (derived.simplify) {
    let before = derived.simplify.base;
    for (const { network } of derived.simplify.steps) {
      simplify.push(checkRewrite(before, network, seed));
      before = network;
    }
  }
  let differentiation: StepVerdict | undefined;
  const view = derived.expression;
  if (view) {
    const action = use.doc.actions[view.actionIndex];
    if (action.kind === 'derivative' || action.kind === 'vjp' || action.kind === 'jvp') {
      const before =
        view.actionIndex === 0
          ? sourceNetwork(use.doc.source)
          : derive({ ...use.doc, actions: use.doc.actions.slice(0, view.actionIndex) }).network;
      const tensor = before.tensors.find((t) => t.id === action.tensorId);
      const source = action.source ?? (tensor?.kind === 'data' ? tensor.source : undefined);
      if (source) {
        // A derivative of one occurrence (not all) is one term; it is checked as the sum
        // over every occurrence only when it was asked for that way.
        const whole = action.kind !== 'derivative' || action.allOccurrences;
        const occurrences = before.tensors.filter(
          (t) => t.kind === 'data' && t.source === source,
        ).length;
        differentiation =
          whole || occurrences === 1
            ? checkDifferentiation(
                before,
                action.kind,
                source,
                view.terms,
                action.kind === 'derivative' ? undefined : freshSourceName(before, 'v'),
                seed,
              )
            : { status: 'skipped', reason: 'one occurrence of an input that occurs several times' };
      }
    }
  }
  return { simplify, differentiation, instance: use.instance };
}
