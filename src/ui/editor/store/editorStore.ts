import { create } from 'zustand';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import {
  applySketchAction,
  captureOf,
  type DiffKind,
  type NetworkEdit,
  type SketchAction,
} from '../../../core/diagram/sketchActions.ts';
import { errorMessage } from '../../../core/errors.ts';
import {
  canRedo,
  canUndo,
  createHistory,
  record,
  redo as historyRedo,
  undo as historyUndo,
  type History,
} from '../../../core/history.ts';
import type { Network, Tensor, TensorKind } from '../../../core/network.ts';
import type { DiagramSource } from '../../../core/notebook/index.ts';
import { simplifyStep, type RuleName } from '../../../core/rewrite/index.ts';
import { defaultDoc } from '../model/doc.ts';
import { einsumNetwork, einsumSource } from '../model/einsumInput.ts';
import {
  buildFromForm,
  layerToForm,
  withDims,
  type FieldErrors,
  type FieldName,
  type FormValues,
} from '../model/form.ts';
import { derive, type Derived } from '../model/replayDoc.ts';
import type { Point } from '../../diagram/diagramLayout.ts';
import { DEFAULT_PRESET_ID, getPreset, presetSource } from '../../../core/diagram/presets.ts';

/**
 * The editor's store: the work (a sketch: a diagram and its view state) in the core's undo
 * history, what it derives to, and the form. Every change is a named action (the core's
 * sketch reducer) that says how it is captured in the history; a change whose diagram does
 * not derive is refused, so the canvas always shows the last valid work.
 */
export const HISTORY_LIMIT = 100;

export interface Message {
  kind: 'error' | 'info';
  text: string;
}

export interface FormState {
  /** The preset the form edits (the last one picked, even after loading an einsum). */
  presetId: string;
  values: FormValues;
  errors: FieldErrors;
}

export interface EditorState {
  history: History<Sketch>;
  /** The work on screen (the history's present). */
  doc: Sketch;
  derived: Derived;
  form: FormState;
  message?: Message;
  /** Error of the einsum loader, shown beside it. */
  einsumError?: string;
  /**
   * The last change was a derivation step (same source, other steps or rules: a cut, a
   * rewrite step, stepping back, undoing one), which the canvas animates.
   */
  motion: boolean;
}

/** The editor preset a preset source edits: the one it names, else its operation's. */
export function presetIdOf(source: Extract<DiagramSource, { kind: 'preset' }>): string {
  const named = source.presetId ? getPreset(source.presetId) : undefined;
  return named && named.op === source.op ? named.id : source.op;
}

function formFor(doc: Sketch, previous?: FormState): FormState {
  const source = doc.diagram.source;
  if (source.kind === 'preset')
    return { presetId: presetIdOf(source), values: layerToForm(source.layer), errors: {} };
  return previous ? { ...previous, errors: {} } : formFor(defaultDoc());
}

function initialState(doc: Sketch = defaultDoc()): EditorState {
  return {
    history: createHistory(doc, HISTORY_LIMIT),
    doc,
    derived: derive(doc),
    form: formFor(doc),
    motion: false,
  };
}

export const useEditor = create<EditorState>()(() => initialState());

const get = () => useEditor.getState();
const set = (partial: Partial<EditorState>) => useEditor.setState(partial);

export const canUndoEditor = (s: EditorState): boolean => canUndo(s.history);
export const canRedoEditor = (s: EditorState): boolean => canRedo(s.history);

/**
 * Applies an action to the work; returns the error message when it is impossible or the
 * result does not derive (then nothing changes and the message shows).
 */
export function dispatch(action: SketchAction, keepForm = false): string | undefined {
  const s = get();
  let next: Sketch;
  let derived: Derived;
  try {
    next = applySketchAction(s.doc, action, s.derived.network);
    if (next === s.doc) return undefined;
    // Moving nodes leaves the diagram as it is.
    derived = next.diagram === s.doc.diagram ? s.derived : derive(next);
  } catch (err) {
    const text = errorMessage(err);
    set({ message: { kind: 'error', text } });
    return text;
  }
  set({
    history: record(s.history, next, captureOf(action)),
    doc: next,
    derived,
    form: keepForm ? s.form : formFor(next, s.form),
    message: undefined,
    motion: next.diagram.source === s.doc.diagram.source,
  });
  return undefined;
}

function move(step: (h: History<Sketch>) => History<Sketch>): void {
  const s = get();
  const history = step(s.history);
  if (history === s.history) return;
  const doc = history.present;
  try {
    set({
      history,
      doc,
      derived: derive(doc),
      form: formFor(doc, s.form),
      message: undefined,
      motion: doc.diagram.source === s.doc.diagram.source,
    });
  } catch (err) {
    set({ message: { kind: 'error', text: errorMessage(err) } });
  }
}

export const undo = (): void => move(historyUndo);
export const redo = (): void => move(historyRedo);

/** Starts over from a sketch (a restored session); history is cleared. */
export function resetTo(doc: Sketch, message?: Message): void {
  useEditor.setState({ ...initialState(doc), message, einsumError: undefined }, true);
}

export function showMessage(message: Message | undefined): void {
  set({ message });
}

export function loadPreset(presetId: string): void {
  dispatch({ type: 'load', source: presetSource(presetId) });
}

/**
 * A field of the preset's form. Only a preset has hyper-parameters: a drawn or loaded
 * network keeps its own sizes, and a field edit never replaces it with a preset.
 */
export function editField(name: FieldName, value: string): void {
  const { form, doc } = get();
  const source = doc.diagram.source;
  if (source.kind !== 'preset') return;
  const values =
    name === 'dims' && /^[123]$/.test(value.trim())
      ? withDims(form.values, Number(value))
      : { ...form.values, [name]: value };
  const preset = getPreset(form.presetId) ?? getPreset(DEFAULT_PRESET_ID)!;
  const built = buildFromForm(preset.op, values, name);
  if (!built.ok) {
    set({ form: { ...form, values, errors: built.errors } });
    return;
  }
  // The name of a well-known layer (e.g. resnet18.conv1) no longer fits a changed layer.
  const { name: _layerName, ...rest } = source;
  void _layerName;
  const error = dispatch(
    {
      type: 'editSource',
      source: { ...rest, presetId: preset.id, op: preset.op, layer: built.layer },
      field: name,
      keepPositions: source.layer.input.length === built.layer.input.length,
    },
    true,
  );
  set({
    form: { ...form, values, errors: error ? { [name]: error } : {} },
    message: error ? undefined : get().message,
  });
}

export function loadEinsum(equation: string, shapes: string): boolean {
  let source: DiagramSource;
  try {
    einsumNetwork(equation, shapes);
    source = einsumSource(equation, shapes);
  } catch (err) {
    set({ einsumError: errorMessage(err) });
    return false;
  }
  const error = dispatch({ type: 'load', source });
  set({ einsumError: error });
  return error === undefined;
}

/** A hand edit of the shown network; the result becomes the source. */
export function editNetwork(edit: NetworkEdit): boolean {
  return dispatch({ type: 'editNetwork', edit }) === undefined;
}

/** Adds a tensor; returns its id (undefined if refused). */
export function addTensor(kind: TensorKind): string | undefined {
  const before = new Set(get().derived.network.tensors.map((t) => t.id));
  if (!editNetwork({ op: 'addTensor', kind })) return undefined;
  return get().derived.network.tensors.find((t) => !before.has(t.id))?.id;
}

export function differentiate(kind: DiffKind, tensor: Tensor, allOccurrences = false): void {
  dispatch({
    type: 'differentiate',
    kind,
    tensorId: tensor.id,
    allOccurrences: kind === 'derivative' ? allOccurrences : true,
  });
}

export function selectTerm(term: number): void {
  const view = get().derived.expression;
  if (view) dispatch({ type: 'selectTerm', step: view.actionIndex, term });
}

const lastIsSimplify = (doc: Sketch) => doc.diagram.steps.at(-1)?.kind === 'simplify';

function nothingToSimplify(network: Network, rules: RuleName[]): boolean {
  if (simplifyStep(network, { disabled: rules })) return false;
  set({ message: { kind: 'info', text: 'No rule applies: the network is already simplified.' } });
  return true;
}

function simplifyMore(next: (at: number) => number | 'end'): void {
  const { doc, derived } = get();
  const view = lastIsSimplify(doc) ? derived.simplify : undefined;
  if (view && view.at < view.steps.length) dispatch({ type: 'simplifyTo', at: next(view.at) });
  else if (!nothingToSimplify(derived.network, doc.disabledRules))
    dispatch({ type: 'simplifyTo', at: next(0) });
}

/** One more step of the simplifier; says so when no rule applies. */
export const simplifyOne = (): void => simplifyMore((at) => at + 1);
export const simplifyAll = (): void => simplifyMore(() => 'end');

/** Shows the network after `at` steps of the current simplification (0: before it). */
export function gotoStep(at: number): void {
  if (lastIsSimplify(get().doc)) dispatch({ type: 'simplifyTo', at });
}

export function toggleRule(rule: RuleName): void {
  dispatch({ type: 'toggleRule', rule });
}

/** Thins a summed index to a random fraction of its positions (a fresh seed each time). */
export function dropout(index: string, fraction: number): string | undefined {
  const seed = Math.floor(Math.random() * 2 ** 31);
  return dispatch({ type: 'dropout', index, keep: fraction, seed });
}

export function moveNodes(moved: Record<string, Point>): void {
  dispatch({ type: 'moveNodes', moved });
}

export function autoLayoutPositions(): void {
  dispatch({ type: 'autoLayout' });
}
