import { errorMessage } from '../errors.ts';
import type { Network } from '../network.ts';
import { requireInputShapes } from '../notebook/build.ts';
import type { Term } from '../expression.ts';
import { buildDiagram } from '../notebook/derive.ts';
import type { DiagramCell, Step } from '../notebook/schema.ts';
import { smallLayer } from './smallLayer.ts';
import { checkDifferentiation, checkRewrite, type StepVerdict } from './stepCheck.ts';

/**
 * The steps of a diagram cell with their numerical checks, in a form the exporters can
 * write out (the Python export re-runs each check with torch; the Markdown summary lists
 * the verdicts). Checked on a small instance of a preset's layer (as the editor does) when
 * the steps apply there too, else at the diagram's own sizes.
 *  - simplify: a rewrite keeps the value, network by network;
 *  - derivative, vjp, jvp: against a directional derivative of the network before;
 *  - dropout and squared_norm change the value on purpose (an unbiased estimate, a new
 *    quantity): listed, not checked.
 */
export type DiagramCheck = { step: number; label: string; verdict: StepVerdict } & (
  | { kind: 'rewrite'; before: Term[]; after: Term[] }
  | {
      kind: 'derivative' | 'vjp' | 'jvp';
      /** The network differentiated (one network: a sum is not checked). */
      before: Network;
      source: string;
      /** The vector (vjp) or tangent (jvp) input the step added. */
      extra?: string;
      terms: Term[];
    }
  | { kind: 'unchecked' }
);

export interface DiagramChecks {
  checks: DiagramCheck[];
  /** The sizes checked at, in words. */
  instance: string;
}

export function stepLabel(step: Step): string {
  switch (step.kind) {
    case 'derivative':
      return `derivative by ${step.source}`;
    case 'vjp':
      return `VJP with respect to ${step.source}`;
    case 'jvp':
      return `JVP with respect to ${step.source}`;
    case 'simplify':
      return step.steps === undefined ? 'simplify' : `simplify (${step.steps} rules)`;
    case 'dropout':
      return `dropout: keep ${step.keep} of ${step.index} (seed ${step.seed})`;
    case 'squared_norm':
      return `squared norm${step.keep.length ? ` keeping ${step.keep.join(', ')}` : ''}`;
  }
}

function inputsOf(terms: readonly Term[]): Set<string> {
  return new Set(terms.flatMap((t) => Object.keys(requireInputShapes(t.network))));
}

function checkStep(
  j: number,
  step: Step,
  before: Term[],
  after: Term[],
  seed: number,
): DiagramCheck {
  const label = stepLabel(step);
  switch (step.kind) {
    case 'simplify': {
      // Simplification maps each network of the sum on its own; the worst one decides.
      const verdicts = before.map((t, k) => checkRewrite(t.network, after[k].network, seed));
      const skipped = verdicts.find((v) => v.status === 'skipped');
      const changed = verdicts.find((v) => v.status === 'changed');
      const verdict: StepVerdict = skipped ??
        changed ?? {
          status: 'ok',
          diff: Math.max(...verdicts.map((v) => (v.status === 'skipped' ? 0 : v.diff))),
        };
      return { step: j, label, verdict, kind: 'rewrite', before, after };
    }
    case 'derivative':
    case 'vjp':
    case 'jvp': {
      if (before.length !== 1 || before[0].coefficient !== 1 || step.term !== undefined) {
        const reason =
          step.term !== undefined
            ? 'one term of the derivative was kept'
            : 'the network differentiated is a sum';
        return { step: j, label, verdict: { status: 'skipped', reason }, kind: 'unchecked' };
      }
      const net = before[0].network;
      const known = inputsOf(before);
      const extra = [...inputsOf(after)].find((name) => !known.has(name));
      const verdict = checkDifferentiation(net, step.kind, step.source, after, extra, seed);
      return {
        step: j,
        label,
        verdict,
        kind: step.kind,
        before: net,
        source: step.source,
        ...(extra === undefined ? {} : { extra }),
        terms: after,
      };
    }
    case 'dropout':
      return {
        step: j,
        label,
        kind: 'unchecked',
        verdict: {
          status: 'skipped',
          reason: 'an unbiased estimate: it changes the value on purpose',
        },
      };
    case 'squared_norm':
      return {
        step: j,
        label,
        kind: 'unchecked',
        verdict: { status: 'skipped', reason: 'a new quantity, not a rewrite of the old one' },
      };
  }
}

/** Every step of the cell checked; a cell that does not build has no checks. */
export function diagramChecks(
  cell: Pick<DiagramCell, 'source' | 'steps'>,
  seed = 1,
): DiagramChecks {
  let target = cell;
  let instance = 'the diagram’s own sizes';
  if (cell.source.kind === 'preset') {
    const layer = smallLayer(cell.source.layer);
    const small = { ...cell, source: { ...cell.source, layer } };
    // The small instance stands in only if every step made the same kinds of tensors
    // there (the simplifier's rules depend on sizes).
    const shape = (build: ReturnType<typeof buildDiagram>) =>
      build.ok
        ? build.stages
            .map((s) => s.terms.map((t) => t.network.tensors.map((x) => x.kind).join()).join('+'))
            .join('|')
        : undefined;
    const smallBuild = buildDiagram(small);
    if (smallBuild.ok && shape(smallBuild) === shape(buildDiagram(cell))) {
      target = small;
      instance = `batch ${layer.batch}, channels ${layer.inChannels}→${layer.outChannels}, input ${layer.input.join('x')}`;
    }
  }
  const built = buildDiagram(target);
  if (!built.ok) return { checks: [], instance };
  const checks = target.steps.map((step, j) => {
    try {
      return checkStep(j, step, built.stages[j].terms, built.stages[j + 1].terms, seed);
    } catch (err) {
      return {
        step: j,
        label: stepLabel(step),
        kind: 'unchecked' as const,
        verdict: { status: 'skipped' as const, reason: errorMessage(err) },
      };
    }
  });
  return { checks, instance };
}

/** One line per step: ✓ (kept, with the largest difference), ✗ (changed) or not checked. */
export function checksMarkdown(title: string, result: DiagramChecks): string {
  const lines = [`# Step checks: ${title.replace(/[\r\n]+/g, ' ')}`, ''];
  if (result.checks.length === 0) {
    lines.push('The diagram has no steps to check.', '');
    return lines.join('\n');
  }
  lines.push(
    `Checked by einsketch in float64 on random inputs (${result.instance}): a rewrite must keep the value, a derivative must agree with a central difference.`,
    '',
  );
  for (const c of result.checks) {
    const v = c.verdict;
    const mark =
      v.status === 'ok'
        ? `✓ kept the value (largest difference ${v.diff.toExponential(2)})`
        : v.status === 'changed'
          ? `✗ changed the value (largest difference ${v.diff.toExponential(2)})`
          : `not checked: ${v.reason}`;
    lines.push(`${c.step + 1}. ${c.label}: ${mark}`);
  }
  lines.push('');
  return lines.join('\n');
}
