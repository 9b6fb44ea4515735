import { beforeEach, describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import {
  DOCUMENT_VERSION,
  diagramCell,
  runCell,
  type DiagramCell,
  type NotebookDocument,
} from '../../../src/core/notebook/index.ts';
import { decodeShare, shareRoute } from '../../../src/core/share/index.ts';
import { sketch } from '../../helpers/sketches.ts';
import {
  differentiate,
  loadPreset,
  resetTo,
  simplifyAll,
  useEditor,
} from '../../../src/ui/editor/store/editorStore.ts';
import { editorSharePayload } from '../../../src/ui/notebook/model/editorShare.ts';
import {
  EDITING_STORAGE_KEY,
  finishEditing,
  openInEditor,
  restoreEditing,
  useEditing,
} from '../../../src/ui/notebook/store/editing.ts';
import {
  edit,
  MINE,
  resetNotebook,
  useNotebook,
} from '../../../src/ui/notebook/store/notebookStore.ts';
import { MemoryStorage } from '../../helpers/memoryStorage.ts';
import { PRESETS } from '../../../src/core/diagram/presets.ts';
import { smallPreset } from '../../helpers/smallPresets.ts';

const editorTensor = (id: string) =>
  useEditor.getState().derived.network.tensors.find((t) => t.id === id)!;
const cell = (id: string) =>
  useNotebook.getState().history.present.cells.find((c) => c.id === id) as DiagramCell;

function notebook(): NotebookDocument {
  return {
    version: DOCUMENT_VERSION,
    title: 'Mine',
    cells: [
      diagramCell('diagram-1', smallPreset('conv_forward'), { title: 'my conv' }),
      runCell('run-1', 'diagram-1'),
    ],
  };
}

let storage: MemoryStorage;

beforeEach(() => {
  storage = new MemoryStorage();
  restoreEditing(storage);
  useEditing.setState({ session: undefined }, true);
  resetNotebook(notebook());
  resetTo(sketch('unfold'));
});

describe('open in editor', () => {
  it('edits a diagram cell with the editor and saves it back, then restores the editor work', () => {
    const userEinsum = formatEinsum(useEditor.getState().derived.network);
    expect(openInEditor(MINE, 'diagram-1')).toBe(true);
    expect(useEditor.getState().doc.diagram.source).toMatchObject({
      kind: 'preset',
      op: 'conv_forward',
    });
    differentiate('vjp', editorTensor('weight'));
    const edited = formatEinsum(useEditor.getState().derived.network);
    expect(finishEditing('save')).toEqual(MINE);
    const saved = cell('diagram-1');
    expect(saved.title).toBe('my conv');
    expect(saved.steps).toEqual([{ kind: 'vjp', source: 'weight', term: 0 }]);
    // The run cell still evaluates it.
    expect(useNotebook.getState().history.present.cells[1]).toMatchObject({ diagram: 'diagram-1' });
    expect(formatEinsum(useEditor.getState().derived.network)).toBe(userEinsum);
    expect(edited).toMatch(/-> g c_out c_in k1 k2$/);
    expect(useEditing.getState().session).toBeUndefined();
  });

  it('discards changes and keeps an unchanged cell as it was', () => {
    const before = cell('diagram-1');
    openInEditor(MINE, 'diagram-1');
    simplifyAll();
    finishEditing('discard');
    expect(cell('diagram-1')).toBe(before);
    openInEditor(MINE, 'diagram-1');
    finishEditing('save');
    expect(cell('diagram-1')).toBe(before);
    expect(useNotebook.getState().history.past).toHaveLength(0);
  });

  it('adds the diagram as a new cell when its cell was deleted meanwhile', () => {
    openInEditor(MINE, 'diagram-1');
    loadPreset('kfc');
    edit({ type: 'delete', id: 'diagram-1' });
    finishEditing('save');
    const cells = useNotebook.getState().history.present.cells;
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ kind: 'diagram', source: { op: 'kfc' } });
  });

  it('keeps one session at a time', () => {
    openInEditor(MINE, 'diagram-1');
    expect(openInEditor(MINE, 'diagram-1')).toBe(false);
    expect(useNotebook.getState().message?.text).toMatch(/save or discard it first/);
  });

  it('survives a reload in the middle', () => {
    openInEditor(MINE, 'diagram-1');
    expect(storage.getItem(EDITING_STORAGE_KEY)).not.toBeNull();
    useEditing.setState({ session: undefined }, true);
    restoreEditing(storage);
    const session = useEditing.getState().session;
    expect(session?.cellId).toBe('diagram-1');
    expect(session?.userDoc.diagram.source).toMatchObject({ op: 'unfold' });
    finishEditing('discard');
    expect(storage.getItem(EDITING_STORAGE_KEY)).toBeNull();
  });

  it('drops an unreadable saved session', () => {
    storage.setItem(EDITING_STORAGE_KEY, '{"scope":{"kind":"mine"},"cell":{"id":"<x>"}}');
    restoreEditing(storage);
    expect(useEditing.getState().session).toBeUndefined();
    expect(storage.getItem(EDITING_STORAGE_KEY)).toBeNull();
  });
});

describe('the share button above the editor', () => {
  it('makes links under 2 kB for every preset, which open the same diagram', () => {
    for (const p of PRESETS) {
      resetTo(sketch(p.id));
      const payload = editorSharePayload();
      expect(shareRoute(payload).length, p.id).toBeLessThan(2000);
      const read = decodeShare(payload);
      expect(read.ok).toBe(true);
      if (!read.ok) continue;
      const shared = read.doc.cells[0] as DiagramCell;
      expect(shared.source).toMatchObject({ kind: 'preset', op: p.op, presetId: p.id });
      expect(read.doc.title).toBe(p.title);
    }
  });
});
