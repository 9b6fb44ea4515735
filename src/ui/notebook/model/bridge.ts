import { declaredSizes, parseEquation } from '../../../core/einsum/index.ts';
import { errorMessage } from '../../../core/errors.ts';
import { formatEinsum } from '../../../core/einsum/index.ts';
import type { Network } from '../../../core/network.ts';
import {
  buildDiagram,
  diagramCell,
  NOTEBOOK_LIMITS,
  type DiagramCell,
  type DiagramSource,
  type DiagramView,
  type Step,
} from '../../../core/notebook/index.ts';
import type { RuleName } from '../../../core/rewrite/index.ts';
import { derive } from '../../editor/model/replayDoc.ts';
import type { Action, Doc, Source } from '../../editor/model/doc.ts';
import { parseShapes } from '../../editor/model/einsumInput.ts';
import { getPreset } from '../../editor/model/editorPresets.ts';

/**
 * Converts between a notebook diagram cell (source + steps, the shareable format) and the
 * editor's document (source + replayable actions), so a diagram cell can be edited with the
 * full editor and written back. Both replay the same core functions (src/core/diff,
 * rewrite, dropout), so a conversion is exact when every step has an editor action; a cell
 * the editor cannot replay (a sum carried through later steps, a squared norm, per-step
 * rule sets, a named VJP vector) opens as its final network instead, and says so.
 */

export type ToEditor =
  | { ok: true; doc: Doc; /** Set when the steps were frozen into the network. */ notice?: string }
  | { ok: false; error: string };

/** Editor preset id for a cell's preset source: its own if it names the same operation. */
function editorPresetId(source: Extract<DiagramSource, { kind: 'preset' }>): string {
  const named = source.presetId ? getPreset(source.presetId) : undefined;
  return named && named.op === source.op ? named.id : source.op;
}

function defaultNames(count: number): string[] {
  return Array.from({ length: count }, (_, j) => `T${j + 1}`);
}

function editorSource(source: DiagramSource): Source | null {
  switch (source.kind) {
    case 'preset':
      return {
        kind: 'preset',
        presetId: editorPresetId(source),
        op: source.op,
        layer: structuredClone(source.layer),
      };
    case 'einsum':
      // The editor names einsum operands T1, T2, …; other names only survive as a network.
      if (source.names && source.names.join() !== defaultNames(source.shapes.length).join())
        return null;
      return { kind: 'einsum', equation: source.equation, shapes: JSON.stringify(source.shapes) };
    case 'network':
      return { kind: 'network', network: structuredClone(source.network) as Network };
  }
}

/** The first data tensor reading `source`: the one the editor differentiates by. */
function dataTensorOf(net: Network, source: string): string | null {
  return net.tensors.find((t) => t.kind === 'data' && t.source === source)?.id ?? null;
}

/** Actions replaying `steps`, or why the editor cannot. */
function editorActions(
  cell: Pick<DiagramCell, 'source' | 'steps'>,
  stages: { terms: { network: Network }[] }[],
): { actions: Action[]; disabledRules: RuleName[] } | { why: string } {
  const actions: Action[] = [];
  let disabled: string | undefined;
  let disabledRules: RuleName[] = [];
  for (const [j, step] of cell.steps.entries()) {
    const before = stages[j].terms;
    if (before.length !== 1)
      return { why: `step ${j + 1} applies to a sum of ${before.length} networks` };
    const net = before[0].network;
    const last = j === cell.steps.length - 1;
    switch (step.kind) {
      case 'derivative':
      case 'vjp':
      case 'jvp': {
        if (step.term === undefined && !last && stages[j + 1].terms.length > 1)
          return { why: `step ${j + 1} keeps every term of the derivative` };
        const named = step.kind === 'vjp' ? step.vector : step.kind === 'jvp' ? step.tangent : null;
        if (named) return { why: `step ${j + 1} names its new input '${named}'` };
        const occurrence = step.kind === 'derivative' ? step.occurrence : undefined;
        const tensorId = occurrence ?? dataTensorOf(net, step.source);
        if (!tensorId) return { why: `step ${j + 1}: no input '${step.source}'` };
        actions.push({
          kind: step.kind,
          tensorId,
          source: step.source,
          allOccurrences: occurrence === undefined,
          term: step.term ?? 0,
        });
        break;
      }
      case 'simplify': {
        const key = [...(step.disabled ?? [])].sort().join();
        if (disabled !== undefined && disabled !== key)
          return { why: 'its simplifications switch different rules off' };
        disabled = key;
        disabledRules = [...(step.disabled ?? [])];
        actions.push({ kind: 'simplify', at: step.steps ?? 'end' });
        break;
      }
      case 'dropout':
        actions.push({ kind: 'dropout', index: step.index, fraction: step.keep, seed: step.seed });
        break;
      case 'squared_norm':
        return { why: `step ${j + 1} is a squared norm` };
    }
  }
  return { actions, disabledRules };
}

function positionsOf(view: DiagramView): Doc['positions'] {
  if (view.layout !== 'manual' || !view.positions) return {};
  return structuredClone(view.positions);
}

/** The editor document of a diagram cell (or its final network, with a notice). */
export function cellToEditorDoc(cell: DiagramCell): ToEditor {
  const built = buildDiagram(cell);
  if (!built.ok) return { ok: false, error: built.error };
  const finalTerms = built.sum.terms;
  const frozen = (why: string): ToEditor => {
    if (finalTerms.length !== 1) {
      return {
        ok: false,
        error: `the editor shows one network at a time, and this diagram is a sum of ${finalTerms.length} (${why})`,
      };
    }
    return {
      ok: true,
      doc: {
        source: { kind: 'network', network: structuredClone(finalTerms[0].network) },
        actions: [],
        positions: {},
        disabledRules: [],
      },
      notice: `The editor cannot replay this diagram's steps (${why}), so it opens the resulting network; saving replaces the steps with it.`,
    };
  };
  const source = editorSource(cell.source);
  if (!source) return frozen('its einsum names its operands');
  const replay = editorActions(cell, built.stages);
  if ('why' in replay) return frozen(replay.why);
  const doc: Doc = {
    source,
    actions: replay.actions,
    positions: positionsOf(cell.view),
    disabledRules: replay.disabledRules,
  };
  // A safety net: the editor must show the network the cell ends with.
  let shown: Network;
  try {
    shown = derive(doc).network;
  } catch (err) {
    return frozen(errorMessage(err));
  }
  const expected = finalTerms.length === 1 ? finalTerms[0].network : null;
  const last = cell.steps[cell.steps.length - 1];
  // A derivative that ends the steps with its whole sum: the editor shows its first term
  // on the canvas and the sum as the formula, as it does after its own derivatives.
  const sumShownWhole =
    finalTerms.length > 1 &&
    (last?.kind === 'derivative' || last?.kind === 'vjp' || last?.kind === 'jvp') &&
    last.term === undefined;
  if (expected && formatEinsum(shown) !== formatEinsum(expected))
    return frozen('the editor derives a different network');
  if (!expected && !sumShownWhole) return frozen('the diagram is a sum');
  return { ok: true, doc };
}

function cellSource(source: Source, previous?: DiagramSource): DiagramSource {
  switch (source.kind) {
    case 'preset': {
      const same =
        previous?.kind === 'preset' &&
        previous.op === source.op &&
        JSON.stringify(previous.layer) === JSON.stringify(source.layer);
      return {
        kind: 'preset',
        op: source.op,
        layer: structuredClone(source.layer),
        presetId: source.presetId,
        // The name of a well-known layer only stays while the layer is unchanged.
        ...(same && previous.name ? { name: previous.name } : {}),
      };
    }
    case 'einsum': {
      const parsed = parseEquation(source.equation);
      const shapes = parseShapes(source.shapes, parsed.operands, declaredSizes(parsed));
      return { kind: 'einsum', equation: source.equation, shapes };
    }
    case 'network':
      return { kind: 'network', network: structuredClone(source.network) };
  }
}

/** An input name for a step that cuts out a tensor that reads no input (Π, δ, a scalar). */
function stepSource(net: Network, tensorId: string, given?: string): string {
  if (given) return given;
  const t = net.tensors.find((x) => x.id === tensorId);
  if (t?.kind === 'data') return t.source;
  const id = /^[A-Za-z_][A-Za-z0-9_]*$/.test(tensorId) ? tensorId : 'T';
  return id.slice(0, 32);
}

/** The steps of an editor document (each action replayed to know its tensors). */
function cellSteps(doc: Doc): Step[] {
  const steps: Step[] = [];
  const disabled = doc.disabledRules.length ? [...doc.disabledRules] : undefined;
  doc.actions.forEach((action, k) => {
    switch (action.kind) {
      case 'derivative':
      case 'vjp':
      case 'jvp': {
        const before = derive({ ...doc, actions: doc.actions.slice(0, k) }).network;
        const source = stepSource(before, action.tensorId, action.source);
        if (action.kind === 'derivative' && !action.allOccurrences) {
          steps.push({
            kind: 'derivative',
            source,
            occurrence: action.tensorId,
            term: action.term,
          });
        } else {
          steps.push({ kind: action.kind, source, term: action.term } as Step);
        }
        break;
      }
      case 'simplify':
        steps.push({
          kind: 'simplify',
          ...(action.at === 'end' ? {} : { steps: action.at }),
          ...(disabled ? { disabled } : {}),
        });
        break;
      case 'dropout':
        steps.push({
          kind: 'dropout',
          index: action.index,
          keep: action.fraction,
          seed: action.seed,
        });
        break;
    }
  });
  return steps;
}

/**
 * A diagram cell holding the editor's document. `base` (the cell being edited) keeps its
 * id, title and view settings. Throws an EinsketchError when the result is not a valid cell.
 */
export function editorDocToCell(doc: Doc, id: string, base?: DiagramCell): DiagramCell {
  const entries = Object.entries(doc.positions).slice(0, NOTEBOOK_LIMITS.maxPositions);
  const view: DiagramView = {
    ...(base?.view ?? {
      style: 'named',
      showSizes: true,
      showFormula: true,
      showSteps: true,
    }),
    layout: entries.length > 0 ? 'manual' : 'auto',
    positions: entries.length > 0 ? Object.fromEntries(entries) : undefined,
  };
  if (!view.positions) delete view.positions;
  return diagramCell(id, cellSource(doc.source, base?.source), {
    ...(base?.title !== undefined ? { title: base.title } : {}),
    steps: cellSteps(doc),
    view,
  });
}
