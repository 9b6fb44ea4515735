import { create } from 'zustand';
import { errorMessage } from '../../../core/errors.ts';
import type { Network, Tensor } from '../../../core/network.ts';
import { simplifyStep, type RuleName } from '../../../core/rewrite/index.ts';
import { defaultDoc, presetSource, type Action, type DiffKind, type Doc } from '../model/doc.ts';
import { derive, type Derived } from '../model/replayDoc.ts';
import { einsumNetwork } from '../model/einsumInput.ts';
import {
  buildFromForm,
  layerToForm,
  withDims,
  type FieldErrors,
  type FieldName,
  type FormValues,
} from '../model/form.ts';
import type { Point } from '../../diagram/diagramLayout.ts';
import { DEFAULT_PRESET_ID, getPreset } from '../model/editorPresets.ts';

/**
 * The editor's document store: the current work, what it derives to, and the undo/redo
 * history of documents. Every change goes through `commit`, which re-derives first and
 * refuses a document that does not derive, so the diagram always shows the last valid work.
 */
export const HISTORY_LIMIT = 100;
/** Edits of the same field closer together than this are one undo step. */
export const COALESCE_MS = 1500;

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
  doc: Doc;
  derived: Derived;
  past: Doc[];
  future: Doc[];
  form: FormState;
  message?: Message;
  /** Error of the einsum loader, shown beside it. */
  einsumError?: string;
  coalesce?: { key: string; at: number };
  /**
   * The last change was a derivation step (same source, other actions or rules: a cut, a
   * rewrite step, stepping back, undoing one), which the canvas animates.
   */
  motion: boolean;
}

function formForDoc(doc: Doc, previous?: FormState): FormState {
  if (doc.source.kind === 'preset') {
    return { presetId: doc.source.presetId, values: layerToForm(doc.source.layer), errors: {} };
  }
  return previous ? { ...previous, errors: {} } : formForDoc(defaultDoc());
}

function initialState(doc: Doc = defaultDoc()): EditorState {
  return {
    doc,
    derived: derive(doc),
    past: [],
    future: [],
    form: formForDoc(doc),
    motion: false,
  };
}

export const useEditor = create<EditorState>()(() => initialState());

const get = () => useEditor.getState();
const set = (partial: Partial<EditorState>) => useEditor.setState(partial);

interface CommitOptions {
  /** Merge with the previous commit of the same key made within COALESCE_MS. */
  coalesce?: string;
  /** Leave the form as typed (the commit came from it). */
  keepForm?: boolean;
  /** The derived state is unchanged (only node positions moved). */
  sameNetwork?: boolean;
}

/** Makes `next` the current document; returns the error message if it does not derive. */
export function commit(next: Doc, options: CommitOptions = {}): string | undefined {
  const s = get();
  let derived: Derived;
  try {
    derived = options.sameNetwork ? s.derived : derive(next);
  } catch (err) {
    const text = errorMessage(err);
    set({ message: { kind: 'error', text } });
    return text;
  }
  const now = Date.now();
  const merge =
    options.coalesce !== undefined &&
    s.coalesce?.key === options.coalesce &&
    now - s.coalesce.at < COALESCE_MS;
  set({
    doc: next,
    derived,
    past: merge ? s.past : [...s.past, s.doc].slice(-HISTORY_LIMIT),
    future: [],
    coalesce: options.coalesce !== undefined ? { key: options.coalesce, at: now } : undefined,
    form: options.keepForm ? s.form : formForDoc(next, s.form),
    message: undefined,
    motion: next.source === s.doc.source,
  });
  return undefined;
}

function restore(doc: Doc, past: Doc[], future: Doc[]): void {
  try {
    set({
      doc,
      derived: derive(doc),
      past,
      future,
      form: formForDoc(doc, get().form),
      message: undefined,
      coalesce: undefined,
      motion: doc.source === get().doc.source,
    });
  } catch (err) {
    set({ message: { kind: 'error', text: errorMessage(err) } });
  }
}

export function undo(): void {
  const { past, future, doc } = get();
  if (past.length === 0) return;
  restore(past[past.length - 1], past.slice(0, -1), [doc, ...future]);
}

export function redo(): void {
  const { past, future, doc } = get();
  if (future.length === 0) return;
  restore(future[0], [...past, doc].slice(-HISTORY_LIMIT), future.slice(1));
}

/** Starts over from a document (a restored session); history is cleared. */
export function resetTo(doc: Doc, message?: Message): void {
  const state = initialState(doc);
  useEditor.setState({ ...state, message, einsumError: undefined, coalesce: undefined }, true);
}

export function showMessage(message: Message | undefined): void {
  set({ message });
}

export function loadPreset(presetId: string): void {
  const { doc } = get();
  commit({
    source: presetSource(presetId),
    actions: [],
    positions: {},
    disabledRules: doc.disabledRules,
  });
}

/**
 * A field of the preset's form. Only a preset has hyper-parameters: a drawn or loaded
 * network keeps its own sizes, and a field edit never replaces it with a preset.
 */
export function editField(name: FieldName, value: string): void {
  const { form, doc } = get();
  if (doc.source.kind !== 'preset') return;
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
  const sameDims = doc.source.layer.input.length === built.layer.input.length;
  const error = commit(
    {
      ...doc,
      source: { kind: 'preset', presetId: preset.id, op: preset.op, layer: built.layer },
      actions: doc.actions,
      positions: sameDims ? doc.positions : {},
    },
    { coalesce: `field:${name}`, keepForm: true },
  );
  set({
    form: { ...form, values, errors: error ? { [name]: error } : {} },
    message: error ? undefined : get().message,
  });
}

export function loadEinsum(equation: string, shapes: string): boolean {
  try {
    einsumNetwork(equation, shapes);
  } catch (err) {
    set({ einsumError: errorMessage(err) });
    return false;
  }
  const { doc } = get();
  const error = commit({
    source: { kind: 'einsum', equation, shapes },
    actions: [],
    positions: {},
    disabledRules: doc.disabledRules,
  });
  set({ einsumError: error });
  return error === undefined;
}

/** A hand edit of the shown network; the result becomes the source (see doc.ts). */
export function editNetwork(edit: (net: Network) => Network): boolean {
  const { doc, derived } = get();
  let next: Network;
  try {
    next = edit(derived.network);
  } catch (err) {
    set({ message: { kind: 'error', text: errorMessage(err) } });
    return false;
  }
  return commit({ ...doc, source: { kind: 'network', network: next }, actions: [] }) === undefined;
}

function pushAction(action: Action): string | undefined {
  const { doc } = get();
  return commit({ ...doc, actions: [...doc.actions, action], positions: {} });
}

export function differentiate(kind: DiffKind, tensor: Tensor, allOccurrences = false): void {
  const source = tensor.kind === 'data' ? tensor.source : undefined;
  pushAction({
    kind,
    tensorId: tensor.id,
    source,
    allOccurrences: kind === 'derivative' ? allOccurrences : true,
    term: 0,
  });
}

export function selectTerm(term: number): void {
  const { doc, derived } = get();
  const view = derived.expression;
  if (!view) return;
  const actions = doc.actions.map((a, k) =>
    k === view.actionIndex && 'term' in a ? { ...a, term } : a,
  );
  commit({ ...doc, actions, positions: {} });
}

function lastSimplify(doc: Doc): { kind: 'simplify'; at: number | 'end' } | undefined {
  const last = doc.actions[doc.actions.length - 1];
  return last?.kind === 'simplify' ? last : undefined;
}

function setSimplifyAt(at: number | 'end'): void {
  const { doc } = get();
  const actions = lastSimplify(doc) ? doc.actions.slice(0, -1) : doc.actions;
  commit({ ...doc, actions: [...actions, { kind: 'simplify', at }], positions: {} });
}

function nothingToSimplify(): boolean {
  const { doc, derived } = get();
  if (simplifyStep(derived.network, { disabled: doc.disabledRules })) return false;
  set({ message: { kind: 'info', text: 'No rule applies: the network is already simplified.' } });
  return true;
}

/** One more step of the simplifier; says so when no rule applies. */
export function simplifyOne(): void {
  const { doc, derived } = get();
  const view = lastSimplify(doc) ? derived.simplify : undefined;
  if (view && view.at < view.steps.length) setSimplifyAt(view.at + 1);
  else if (!nothingToSimplify()) setSimplifyAt(1);
}

export function simplifyAll(): void {
  const { doc, derived } = get();
  const view = lastSimplify(doc) ? derived.simplify : undefined;
  if (view && view.at < view.steps.length) setSimplifyAt('end');
  else if (!nothingToSimplify()) setSimplifyAt('end');
}

/** Shows the network after `at` steps of the current simplification (0: before it). */
export function gotoStep(at: number): void {
  if (!lastSimplify(get().doc)) return;
  setSimplifyAt(at);
}

export function toggleRule(rule: RuleName): void {
  const { doc } = get();
  const disabledRules = doc.disabledRules.includes(rule)
    ? doc.disabledRules.filter((r) => r !== rule)
    : [...doc.disabledRules, rule];
  commit({ ...doc, disabledRules });
}

/** Thins a summed index to a random fraction of its positions (a fresh seed each time). */
export function dropout(index: string, fraction: number): string | undefined {
  const seed = Math.floor(Math.random() * 2 ** 31);
  return pushAction({ kind: 'dropout', index, fraction, seed });
}

export function moveNodes(moved: Record<string, Point>): void {
  const { doc } = get();
  commit({ ...doc, positions: { ...doc.positions, ...moved } }, { sameNetwork: true });
}

export function autoLayoutPositions(): void {
  const { doc } = get();
  if (Object.keys(doc.positions).length === 0) return;
  commit({ ...doc, positions: {} }, { sameNetwork: true });
}
