import { fail } from '../errors.ts';
import type { Capture } from '../history.ts';
import type { Network, TensorKind } from '../network.ts';
import type { DiagramSource, Step } from '../notebook/schema.ts';
import type { RuleName } from '../rewrite/index.ts';
import * as edits from './networkEdits.ts';
import type { Point, Sketch } from './sketch.ts';

/**
 * Every change of the editor's work as data, for a reducer (applySketchAction) and the
 * undo history: each action says how it is captured (captureOf), instead of a timer
 * deciding which changes are one step.
 */

/** A hand edit of the shown network (networkEdits.ts). */
export type NetworkEdit =
  | { op: 'addTensor'; kind: TensorKind }
  | { op: 'removeTensor'; id: string }
  | { op: 'relabelTensor'; id: string; label: string }
  | { op: 'setScalar'; id: string; value: number }
  | { op: 'addLeg'; id: string }
  | { op: 'removeLeg'; id: string; axis: number }
  | { op: 'renameLeg'; id: string; axis: number; name: string }
  | { op: 'renameIndex'; index: string; name: string }
  | { op: 'resizeIndex'; index: string; size: number }
  | { op: 'toggleOpen'; index: string }
  | { op: 'connect'; from: edits.LegRef; to: edits.LegRef }
  | { op: 'disconnect'; end: edits.LegRef }
  | { op: 'setPattern'; id: string; spec: edits.PatternSpec }
  | { op: 'convertToPattern'; id: string; spec?: edits.PatternSpec };

type EditOf<K extends NetworkEdit['op']> = Extract<NetworkEdit, { op: K }>;

const NETWORK_EDITS: { [K in NetworkEdit['op']]: (net: Network, e: EditOf<K>) => Network } = {
  addTensor: (net, e) => edits.addTensor(net, e.kind).network,
  removeTensor: (net, e) => edits.removeTensor(net, e.id),
  relabelTensor: (net, e) => edits.relabelTensor(net, e.id, e.label),
  setScalar: (net, e) => edits.setScalar(net, e.id, e.value),
  addLeg: (net, e) => edits.addLeg(net, e.id),
  removeLeg: (net, e) => edits.removeLeg(net, e.id, e.axis),
  renameLeg: (net, e) => edits.renameLeg(net, e.id, e.axis, e.name),
  renameIndex: (net, e) => edits.renameIndex(net, e.index, e.name),
  resizeIndex: (net, e) => edits.resizeIndex(net, e.index, e.size),
  toggleOpen: (net, e) => edits.toggleOpen(net, e.index),
  connect: (net, e) => edits.connect(net, e.from, e.to),
  disconnect: (net, e) => edits.disconnect(net, e.end),
  setPattern: (net, e) => edits.setPattern(net, e.id, e.spec),
  convertToPattern: (net, e) => edits.convertToPattern(net, e.id, e.spec),
};

export function applyNetworkEdit(net: Network, e: NetworkEdit): Network {
  return (NETWORK_EDITS[e.op] as (net: Network, e: NetworkEdit) => Network)(net, e);
}

export type DiffKind = 'derivative' | 'vjp' | 'jvp';

export type SketchAction =
  /** A new source (a preset picked, an einsum loaded): the steps start over. */
  | { type: 'load'; source: DiagramSource }
  /** The source's hyper-parameters changed in field `field`; the steps are replayed on it. */
  | { type: 'editSource'; source: DiagramSource; field: string; keepPositions: boolean }
  /** A hand edit of the network on screen, which becomes the source (drawing has no meaning on a rebuilt preset). */
  | { type: 'editNetwork'; edit: NetworkEdit }
  /**
   * Differentiate w.r.t. one occurrence of a tensor (a derivative), or w.r.t. every
   * occurrence of the input it reads (allOccurrences; always so for a VJP or JVP).
   */
  | { type: 'differentiate'; kind: DiffKind; tensorId: string; allOccurrences: boolean }
  /** Continue with term `term` of the differentiation at step `step`. */
  | { type: 'selectTerm'; step: number; term: number }
  /** Show `at` steps of the simplifier (a new simplification unless the last step is one). */
  | { type: 'simplifyTo'; at: number | 'end' }
  | { type: 'toggleRule'; rule: RuleName }
  /** Tensor dropout: keep a seeded random fraction of a summed index (replayable). */
  | { type: 'dropout'; index: string; keep: number; seed: number }
  | { type: 'moveNodes'; moved: Record<string, Point> }
  | { type: 'autoLayout' };

/** How each action enters the undo history. */
export function captureOf(action: SketchAction): Capture {
  switch (action.type) {
    case 'editSource':
      // Typing into one field is one step however many keys it takes.
      return { merge: `field:${action.field}` };
    case 'moveNodes':
      // Dragging the same nodes again (a drag in several moves) is one step.
      return { merge: `move:${Object.keys(action.moved).sort().join(',')}` };
    default:
      return 'record';
  }
}

/** An input name for a step by a tensor: the input it reads, or (Π, δ, a scalar) its id. */
export function stepSource(net: Network, tensorId: string): string {
  const t = net.tensors.find((x) => x.id === tensorId);
  if (!t) fail(`the network has no tensor '${tensorId}' any more`);
  if (t.kind === 'data') return t.source;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(tensorId) ? tensorId.slice(0, 32) : 'T';
}

function differentiationStep(
  net: Network,
  a: Extract<SketchAction, { type: 'differentiate' }>,
): Step {
  const t = net.tensors.find((x) => x.id === a.tensorId);
  if (!t) fail(`the network has no tensor '${a.tensorId}' any more`);
  const source = stepSource(net, a.tensorId);
  if (a.kind === 'derivative' && !a.allOccurrences)
    return { kind: 'derivative', source, occurrence: a.tensorId, term: 0 };
  if (t.kind !== 'data')
    fail(`${t.label} is not a data tensor: only data tensors have a VJP or JVP`);
  return { kind: a.kind, source, term: 0 };
}

const disabledOf = (rules: readonly RuleName[]) =>
  rules.length ? { disabled: [...rules] as Extract<Step, { kind: 'simplify' }>['disabled'] } : {};

function withSteps(s: Sketch, steps: Step[]): Sketch {
  return { ...s, diagram: { ...s.diagram, steps }, positions: {} };
}

/**
 * The work after an action. `shown` is the network on screen (what a hand edit or a
 * differentiation acts on). Pure; throws an EinsketchError when the action is impossible.
 */
export function applySketchAction(s: Sketch, action: SketchAction, shown: Network): Sketch {
  const steps = s.diagram.steps;
  switch (action.type) {
    case 'load':
      return { ...s, diagram: { source: action.source, steps: [] }, positions: {} };
    case 'editSource':
      return {
        ...s,
        diagram: { ...s.diagram, source: action.source },
        positions: action.keepPositions ? s.positions : {},
      };
    case 'editNetwork':
      return {
        ...s,
        diagram: {
          source: { kind: 'network', network: applyNetworkEdit(shown, action.edit) },
          steps: [],
        },
      };
    case 'differentiate':
      return withSteps(s, [...steps, differentiationStep(shown, action)]);
    case 'selectTerm': {
      const step = steps[action.step];
      if (step?.kind !== 'derivative' && step?.kind !== 'vjp' && step?.kind !== 'jvp')
        fail(`step ${action.step + 1} is not a differentiation`);
      return withSteps(
        s,
        steps.map((x, j) => (j === action.step ? { ...step, term: action.term } : x)),
      );
    }
    case 'simplifyTo': {
      const last = steps[steps.length - 1];
      const kept = last?.kind === 'simplify' ? steps.slice(0, -1) : steps;
      const count = action.at === 'end' ? {} : { steps: action.at };
      return withSteps(s, [
        ...kept,
        { kind: 'simplify', ...count, ...disabledOf(s.disabledRules) },
      ]);
    }
    case 'toggleRule': {
      const disabledRules = s.disabledRules.includes(action.rule)
        ? s.disabledRules.filter((r) => r !== action.rule)
        : [...s.disabledRules, action.rule];
      // The switches apply to every simplification of the diagram, as they always have.
      const next = steps.map((x): Step => {
        if (x.kind !== 'simplify') return x;
        const { disabled: _old, ...rest } = x;
        void _old;
        return { ...rest, ...disabledOf(disabledRules) };
      });
      return { ...s, diagram: { ...s.diagram, steps: next }, disabledRules };
    }
    case 'dropout':
      return withSteps(s, [
        ...steps,
        { kind: 'dropout', index: action.index, keep: action.keep, seed: action.seed },
      ]);
    case 'moveNodes':
      return { ...s, positions: { ...s.positions, ...action.moved } };
    case 'autoLayout':
      return Object.keys(s.positions).length === 0 ? s : { ...s, positions: {} };
  }
}
