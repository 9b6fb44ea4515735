import type { Sketch } from '../../../core/diagram/sketch.ts';
import { randomTensorDropout } from '../../../core/dropout/index.ts';
import { fail } from '../../../core/errors.ts';
import type { Expression, Term } from '../../../core/expression.ts';
import type { Network } from '../../../core/network.ts';
import {
  applyStep,
  buildDiagram,
  buildSource,
  DEFAULT_APPLIERS,
  type DiagramSource,
  type Step,
  type StepAppliers,
} from '../../../core/notebook/index.ts';
import { simplify, type LoggedStep, type RewriteStep } from '../../../core/rewrite/index.ts';
import { withTestFaults } from './testHooks.ts';

/**
 * What the editor shows of its work: the diagram built by the core's buildDiagram (the
 * notebook's own function), plus the views of its last steps that the panels need — the
 * whole sum of the latest differentiation, the simplifier's full log and the step on
 * screen. Pure and deterministic, so the store re-derives after any change and undo is
 * just an earlier sketch.
 */
export interface SimplifyView {
  /** Position of the simplify step in the diagram's steps. */
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
  /** The network on the canvas (the first term when the diagram is a sum). */
  network: Network;
  /** The most recent differentiation (its whole sum, and the term the diagram goes on with). */
  expression?: ExpressionView;
  /** Present when the last step is a simplification. */
  simplify?: SimplifyView;
  /** What the formula shows: the whole sum right after a differentiation, else the diagram's value. */
  formula: Term[];
  /** Tensors and indices the shown simplification step (or a dropout just done) changed. */
  highlight: { tensors: string[]; legs: string[] };
}

/** The editor draws a network over the size limits too; the run panel says it cannot run. */
const EDITOR_BUILD = { checkLimits: false };

export const sourceNetwork = (source: DiagramSource): Network => buildSource(source, EDITOR_BUILD);

type SimplifyStep = Extract<Step, { kind: 'simplify' }>;

/**
 * The core's appliers, with the simplifier run to its fixed point once so that its log
 * (which the simplify panel steps through) is kept; the network after `steps` of them is
 * what the core's own applier gives.
 */
function loggingAppliers(logs: Map<SimplifyStep, LoggedStep[]>): StepAppliers {
  return {
    ...DEFAULT_APPLIERS,
    simplify: (net, step) => {
      const log = withTestFaults(simplify(net, { disabled: step.disabled }).steps);
      logs.set(step, log);
      const at = Math.min(step.steps ?? log.length, log.length);
      return at === 0 ? net : log[at - 1].network;
    },
  };
}

const isDifferentiation = (s: Step) =>
  s.kind === 'derivative' || s.kind === 'vjp' || s.kind === 'jvp';

export function derive(sketch: Sketch): Derived {
  const logs = new Map<SimplifyStep, LoggedStep[]>();
  const built = buildDiagram(sketch.diagram, loggingAppliers(logs), EDITOR_BUILD);
  if (!built.ok) fail(built.error);
  const { steps } = sketch.diagram;
  const last = steps.length - 1;
  const final = built.sum.terms;
  if (final.length === 0) fail('the derivative is zero: the network does not contain that tensor');
  let expression: ExpressionView | undefined;
  const d = steps.findLastIndex(isDifferentiation);
  if (d >= 0) {
    const step = steps[d] as Extract<Step, { term?: number }>;
    const whole: Expression = applyStep(
      built.stages[d],
      { ...step, term: undefined },
      DEFAULT_APPLIERS,
    );
    const term = Math.min(Math.max(0, step.term ?? 0), whole.terms.length - 1);
    expression = { actionIndex: d, terms: whole.terms, term };
  }
  let simplifyView: SimplifyView | undefined;
  let shownStep: RewriteStep | undefined;
  const lastStep = steps[last];
  const before = built.stages[last]?.terms;
  if (lastStep?.kind === 'simplify' && before?.length === 1) {
    const log = logs.get(lastStep) ?? [];
    const at = Math.min(lastStep.steps ?? log.length, log.length);
    simplifyView = { actionIndex: last, base: before[0].network, steps: log, at };
    if (at > 0) shownStep = log[at - 1].step;
  }
  if (lastStep?.kind === 'dropout' && before?.length === 1) {
    shownStep = randomTensorDropout(
      before[0].network,
      lastStep.index,
      lastStep.keep,
      lastStep.seed,
    ).step;
  }
  return {
    network: final[0].network,
    expression,
    simplify: simplifyView,
    formula: lastStep && isDifferentiation(lastStep) && expression ? expression.terms : final,
    highlight: { tensors: shownStep?.tensors ?? [], legs: shownStep?.legs ?? [] },
  };
}
