import {
  checkDifferentiation,
  checkRewrite,
  type StepVerdict,
} from '../../../core/check/stepCheck.ts';
import { smallLayer } from '../../../core/check/smallLayer.ts';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { freshInputName } from '../../../core/notebook/index.ts';
import { derive, sourceNetwork, type Derived } from './replayDoc.ts';

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

function instanceOf(doc: Sketch): { doc: Sketch; derived: Derived; instance: string } | undefined {
  const source = doc.diagram.source;
  if (source.kind !== 'preset') return undefined;
  const layer = smallLayer(source.layer);
  const small: Sketch = { ...doc, diagram: { ...doc.diagram, source: { ...source, layer } } };
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

export function checkDerivation(doc: Sketch, shown: Derived, seed = 1): DerivationChecks {
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
    const { steps } = use.doc.diagram;
    const step = steps[view.actionIndex];
    if (step.kind === 'derivative' || step.kind === 'vjp' || step.kind === 'jvp') {
      const before =
        view.actionIndex === 0
          ? sourceNetwork(use.doc.diagram.source)
          : derive({
              ...use.doc,
              diagram: { ...use.doc.diagram, steps: steps.slice(0, view.actionIndex) },
            }).network;
      const occurrence = step.kind === 'derivative' ? step.occurrence : undefined;
      const tensor = occurrence ? before.tensors.find((t) => t.id === occurrence) : undefined;
      // A derivative by a Π or δ occurrence reads no input: there is nothing to check it by.
      const source = occurrence
        ? tensor?.kind === 'data'
          ? tensor.source
          : undefined
        : step.source;
      if (source) {
        // A derivative of one occurrence (not all) is one term; it is checked as the sum
        // over every occurrence only when it was asked for that way.
        const occurrences = before.tensors.filter(
          (t) => t.kind === 'data' && t.source === source,
        ).length;
        differentiation =
          !occurrence || occurrences === 1
            ? checkDifferentiation(
                before,
                step.kind,
                source,
                view.terms,
                step.kind === 'derivative' ? undefined : freshInputName(before, 'v'),
                seed,
              )
            : { status: 'skipped', reason: 'one occurrence of an input that occurs several times' };
      }
    }
  }
  return { simplify, differentiation, instance: use.instance };
}
