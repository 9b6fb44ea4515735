import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatEinsum } from '../../src/core/einsum/index.ts';
import { defaultDoc } from '../../src/ui/editor/model/doc.ts';
import {
  addTensor,
  canRedoEditor,
  canUndoEditor,
  differentiate,
  editField,
  editNetwork,
  gotoStep,
  HISTORY_LIMIT,
  loadEinsum,
  loadPreset,
  moveNodes,
  redo,
  resetTo,
  selectTerm,
  simplifyAll,
  simplifyOne,
  toggleRule,
  undo,
  useEditor,
} from '../../src/ui/editor/store/editorStore.ts';
import {
  pauseReplay,
  playDerivation,
  REPLAY_STEP_MS,
  resumeReplay,
  stopReplay,
  useReplay,
} from '../../src/ui/editor/store/replayStore.ts';

const state = () => useEditor.getState();
const past = () => state().history.past;
const einsum = () => formatEinsum(state().derived.network);
const tensor = (id: string) => state().derived.network.tensors.find((t) => t.id === id)!;
const CONV = 'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2';

beforeEach(() => resetTo(defaultDoc()));
afterEach(() => vi.useRealTimers());

describe('editor store', () => {
  it('differentiates, and undo/redo walk the history', () => {
    differentiate('vjp', tensor('weight'));
    expect(einsum()).toBe(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, n g c_out o1 o2 -> g c_out c_in k1 k2',
    );
    undo();
    expect(einsum()).toBe(CONV);
    redo();
    expect(state().derived.network.output).toEqual(['g', 'c_out', 'c_in', 'k1', 'k2']);
    expect(canRedoEditor(state())).toBe(false);
    expect(canUndoEditor(state())).toBe(true);
  });

  it('keeps the last valid diagram when a field becomes invalid', () => {
    editField('kernel', '40');
    expect(state().form.errors.kernel).toMatch(/kernel larger than padded input/);
    expect(state().form.values.kernel).toBe('40');
    expect(einsum()).toBe(CONV);
    expect(past()).toHaveLength(0);
    editField('kernel', '5');
    expect(state().form.errors).toEqual({});
    expect(state().derived.network.sizes.k1).toBe(5);
  });

  it('re-derives earlier actions after a field edit, or refuses it beside the field', () => {
    differentiate('vjp', tensor('weight'));
    editField('kernel', '5');
    expect(state().derived.network.resultShape).toEqual([32, 16, 5, 5]);
    editField('groups', '3');
    expect(state().form.errors.groups).toMatch(/does not divide/);
  });

  it('merges consecutive edits of one field into one undo step, however slow', () => {
    vi.useFakeTimers();
    editField('batch', '1');
    vi.advanceTimersByTime(60_000);
    editField('batch', '16');
    editField('inChannels', '8');
    editField('batch', '4');
    expect(past()).toHaveLength(3);
    undo();
    expect(state().form.values.batch).toBe('16');
    undo();
    expect(state().form.values.inChannels).not.toBe('8');
    expect(state().form.values.batch).toBe('16');
    undo();
    expect(state().form.values.batch).toBe('8');
  });

  it('merges consecutive drags of the same nodes; another node or step is a new step', () => {
    moveNodes({ 't:x': { x: 1, y: 0 } });
    moveNodes({ 't:x': { x: 2, y: 0 } });
    moveNodes({ 't:weight': { x: 5, y: 5 } });
    simplifyOne();
    moveNodes({ 't:weight': { x: 6, y: 5 } });
    expect(past()).toHaveLength(4);
    undo();
    undo();
    expect(state().doc.positions).toEqual({ 't:x': { x: 2, y: 0 }, 't:weight': { x: 5, y: 5 } });
    undo();
    expect(state().doc.positions).toEqual({ 't:x': { x: 2, y: 0 } });
  });

  it('bounds the history', () => {
    for (let k = 0; k < HISTORY_LIMIT + 20; k++) moveNodes({ [`t:${k}`]: { x: k, y: 0 } });
    expect(past()).toHaveLength(HISTORY_LIMIT);
  });

  it('simplifies step by step, to the end, and back', () => {
    loadPreset('dense_patchify');
    simplifyOne();
    expect(state().derived.simplify?.at).toBe(1);
    simplifyAll();
    const view = state().derived.simplify!;
    expect(view.at).toBe(view.steps.length);
    expect(state().derived.network.tensors.map((t) => t.kind)).toEqual(['data', 'data']);
    gotoStep(0);
    expect(state().derived.network.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(
      2,
    );
    undo();
    expect(state().derived.simplify?.at).toBe(view.steps.length);
  });

  it('says so when nothing simplifies', () => {
    loadEinsum('a b, b c -> a c', 'a=2 b=3 c=4');
    const before = past().length;
    simplifyOne();
    expect(state().message?.kind).toBe('info');
    expect(past()).toHaveLength(before);
  });

  it('toggles rules and picks terms', () => {
    toggleRule('dense_pattern');
    expect(state().doc.disabledRules).toEqual(['dense_pattern']);
    loadPreset('kfc');
    differentiate('derivative', tensor('x'), true);
    selectTerm(1);
    expect(state().derived.expression?.term).toBe(1);
  });

  it('turns hand edits into a drawn network, and reports refused ones', () => {
    expect(addTensor('scalar')).toBe('s1');
    expect(state().doc.diagram.source.kind).toBe('network');
    const before = state().history;
    expect(editNetwork({ op: 'removeTensor', id: 'nope' })).toBe(false);
    expect(state().message?.text).toBe("no tensor 'nope' in the network");
    expect(state().history).toBe(before);
  });

  it('never replaces a drawn network with a preset from a field edit', () => {
    addTensor('scalar');
    const drawn = einsum();
    editField('kernel', '5');
    expect(state().doc.diagram.source.kind).toBe('network');
    expect(einsum()).toBe(drawn);
    // After a reload (a fresh store from the saved document) it is still the drawing.
    resetTo(structuredClone(state().doc));
    editField('batch', '1');
    expect(einsum()).toBe(drawn);
  });

  it('reports a malformed einsum beside the loader and keeps the diagram', () => {
    expect(loadEinsum('a b, b c -> a x', 'a=2 b=3 c=4')).toBe(false);
    expect(state().einsumError).toMatch(/output index 'x'/);
    expect(einsum()).toBe(CONV);
  });
});

describe('which changes the canvas animates', () => {
  it('animates derivation steps and stepping back, not a new source', () => {
    loadPreset('dense_patchify');
    expect(useEditor.getState().motion).toBe(false);
    simplifyOne();
    expect(useEditor.getState().motion).toBe(true);
    undo();
    expect(useEditor.getState().motion).toBe(true);
    loadPreset('kfc');
    expect(useEditor.getState().motion).toBe(false);
  });
});

describe('replaying a derivation', () => {
  afterEach(() => stopReplay());

  it('steps through the frames once a second, then ends without touching the work', () => {
    vi.useFakeTimers();
    try {
      loadPreset('dense_patchify');
      simplifyOne();
      simplifyOne();
      const { doc, history } = useEditor.getState();
      expect(playDerivation()).toBe(true);
      expect(useReplay.getState().at).toBe(0);
      expect(useReplay.getState().frames).toHaveLength(3);
      vi.advanceTimersByTime(REPLAY_STEP_MS);
      expect(useReplay.getState().at).toBe(1);
      pauseReplay();
      vi.advanceTimersByTime(5 * REPLAY_STEP_MS);
      expect(useReplay.getState().at).toBe(1);
      resumeReplay();
      vi.advanceTimersByTime(2 * REPLAY_STEP_MS);
      expect(useReplay.getState().doc).toBeUndefined();
      expect(useEditor.getState().doc).toBe(doc);
      expect(useEditor.getState().history).toBe(history);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends when the work changes under it', () => {
    vi.useFakeTimers();
    try {
      loadPreset('dense_patchify');
      simplifyOne();
      playDerivation();
      simplifyOne();
      vi.advanceTimersByTime(REPLAY_STEP_MS);
      expect(useReplay.getState().doc).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
