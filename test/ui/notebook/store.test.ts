import { beforeEach, describe, expect, it } from 'vitest';
import {
  DOCUMENT_VERSION,
  diagramCell,
  emptyDocument,
  proseCell,
  runCell,
  type NotebookDocument,
  type RunResult,
} from '../../../src/core/notebook/index.ts';
import { encodeShare } from '../../../src/core/share/index.ts';
import {
  acceptShare,
  declineShare,
  openSharedPayload,
} from '../../../src/ui/notebook/store/openShared.ts';
import {
  mineDoc,
  NOTEBOOK_HISTORY_LIMIT,
  edit,
  MINE,
  redo,
  resetNotebook,
  setRunResult,
  setRunSettings,
  openTutorialDoc,
  undo,
  useNotebook,
} from '../../../src/ui/notebook/store/notebookStore.ts';
import {
  NOTEBOOK_STORAGE_KEY,
  restoreNotebook,
  startAutosave,
} from '../../../src/ui/notebook/store/notebookSession.ts';
import { MemoryStorage } from '../../helpers/memoryStorage.ts';
import { smallPreset } from '../../helpers/smallPresets.ts';

const present = () => useNotebook.getState().history.present;
const ids = () => present().cells.map((c) => c.id);

const RESULT: RunResult = {
  backend: 'webgpu',
  at: '2026-01-01T00:00:00.000Z',
  shape: [2, 6, 8, 8],
  maxError: 1e-6,
  timeTnMs: 1.5,
  timeBuiltinMs: 2,
};

function sample(title = 'A notebook'): NotebookDocument {
  return {
    version: DOCUMENT_VERSION,
    title,
    cells: [
      proseCell('text-1', 'Hello $x^2$'),
      diagramCell('diagram-1', smallPreset('conv_forward')),
      runCell('run-1', 'diagram-1'),
    ],
  };
}

beforeEach(() => resetNotebook(emptyDocument()));

describe('the notebook store', () => {
  it('adds, moves, edits and deletes cells, each one undo step', () => {
    edit({ type: 'add', cell: { id: 'text-1', kind: 'prose', text: 'a' } });
    edit({
      type: 'add',
      cell: { id: 'diagram-1', kind: 'diagram', source: smallPreset('unfold') },
    });
    edit({ type: 'add', cell: { id: 'run-1', kind: 'run', diagram: 'diagram-1' } });
    edit({ type: 'move', id: 'run-1', to: 0 });
    expect(ids()).toEqual(['run-1', 'text-1', 'diagram-1']);
    edit({ type: 'update', id: 'text-1', patch: { text: 'b' } });
    edit({ type: 'delete', id: 'diagram-1' });
    // Deleting a diagram takes its run cells with it.
    expect(ids()).toEqual(['text-1']);
    undo();
    expect(ids()).toEqual(['run-1', 'text-1', 'diagram-1']);
    undo();
    expect(present().cells[1]).toMatchObject({ text: 'a' });
    redo();
    redo();
    expect(ids()).toEqual(['text-1']);
  });

  it('refuses an impossible edit with a message and changes nothing', () => {
    edit({ type: 'add', cell: { id: 'text-1', kind: 'prose', text: 'a' } });
    const before = useNotebook.getState().history;
    expect(edit({ type: 'add', cell: { id: 'run-1', kind: 'run', diagram: 'nowhere' } })).toBe(
      false,
    );
    expect(useNotebook.getState().message?.kind).toBe('error');
    expect(useNotebook.getState().history).toBe(before);
  });

  it('keeps the last NOTEBOOK_HISTORY_LIMIT steps', () => {
    for (let j = 0; j < NOTEBOOK_HISTORY_LIMIT + 5; j++) edit({ type: 'title', title: `t${j}` });
    expect(useNotebook.getState().history.past).toHaveLength(NOTEBOOK_HISTORY_LIMIT);
    expect(NOTEBOOK_HISTORY_LIMIT).toBe(200);
  });

  it('keeps run results out of the undo history: every version that ran the same shows them', () => {
    resetNotebook(sample());
    edit({ type: 'title', title: 'renamed' });
    setRunResult(MINE, 'run-1', RESULT);
    expect(useNotebook.getState().history.past).toHaveLength(1);
    expect(present().cells[2]).toMatchObject({ lastResult: null });
    expect(mineDoc(useNotebook.getState()).cells[2]).toMatchObject({ lastResult: RESULT });
    undo();
    // The run cell and its diagram are the same in the older version: the result shows.
    expect(mineDoc(useNotebook.getState()).cells[2]).toMatchObject({ lastResult: RESULT });
    expect(present().title).toBe('A notebook');
  });

  it('hides a result on a version whose run cell or diagram differs, and shows it again on redo', () => {
    resetNotebook(sample());
    setRunResult(MINE, 'run-1', RESULT);
    const shown = () => mineDoc(useNotebook.getState()).cells[2];
    // A later edit starts from the notebook as shown, so the result stays with it.
    edit({ type: 'update', id: 'run-1', patch: { repeats: 9 } });
    expect(shown()).toMatchObject({ repeats: 9, lastResult: RESULT });
    setRunResult(MINE, 'run-1', { ...RESULT, timeTnMs: 9 });
    undo();
    expect(shown()).toMatchObject({ repeats: 5, lastResult: null });
    redo();
    expect(shown()).toMatchObject({ repeats: 9, lastResult: { timeTnMs: 9 } });
    expect(mineDoc(useNotebook.getState())).toBe(mineDoc(useNotebook.getState()));
  });

  it('changes a tutorial’s run settings and results for the visit only', () => {
    openTutorialDoc('demo', sample('Demo'));
    setRunSettings({ kind: 'tutorial', slug: 'demo' }, 'run-1', { repeats: 1, warmup: 0 });
    setRunResult({ kind: 'tutorial', slug: 'demo' }, 'run-1', RESULT);
    const doc = useNotebook.getState().tutorials.demo;
    expect(doc.cells[2]).toMatchObject({ repeats: 1, warmup: 0, lastResult: RESULT });
    expect(useNotebook.getState().history.past).toHaveLength(0);
  });
});

describe('opening a share link', () => {
  it('opens straight away into an empty notebook', () => {
    expect(openSharedPayload(encodeShare(sample('Shared')))).toBe('opened');
    expect(present().title).toBe('Shared');
    expect(useNotebook.getState().message?.text).toMatch(/Opened the shared notebook/);
  });

  it('asks before replacing the user’s work; keep mine changes nothing', () => {
    resetNotebook(sample('Mine'));
    const mine = present();
    expect(openSharedPayload(encodeShare(sample('Shared')))).toBe('pending');
    expect(present()).toBe(mine);
    declineShare();
    expect(present()).toBe(mine);
    expect(useNotebook.getState().pendingShare).toBeUndefined();
  });

  it('replaces the user’s work only when asked to, as an undo step', () => {
    resetNotebook(sample('Mine'));
    openSharedPayload(encodeShare(sample('Shared')));
    acceptShare();
    expect(present().title).toBe('Shared');
    undo();
    expect(present().title).toBe('Mine');
  });

  it('shows the error of a truncated or tampered link and keeps the work', () => {
    resetNotebook(sample('Mine'));
    const mine = present();
    const payload = encodeShare(sample('Shared'));
    const tampered = payload.slice(0, 20) + (payload[20] === 'A' ? 'B' : 'A') + payload.slice(21);
    for (const bad of [payload.slice(0, payload.length - 5), tampered, '', 'x<script>']) {
      expect(openSharedPayload(bad)).toBe('error');
      expect(useNotebook.getState().message?.kind).toBe('error');
      expect(present()).toBe(mine);
      expect(useNotebook.getState().pendingShare).toBeUndefined();
    }
  });
});

describe('the saved notebook', () => {
  it('is saved on every change and restored', () => {
    const storage = new MemoryStorage();
    const stop = startAutosave(storage);
    edit({ type: 'add', cell: { id: 'text-1', kind: 'prose', text: 'kept' } });
    stop();
    resetNotebook(emptyDocument());
    restoreNotebook(storage);
    expect(present().cells[0]).toMatchObject({ text: 'kept' });
    expect(useNotebook.getState().message).toBeUndefined();
  });

  it('starts fresh with an error when the save is damaged, and keeps the damaged copy', () => {
    for (const bad of ['{not json', '{"version":1,"title":"t","cells":[{"kind":"nope"}]}', '[]']) {
      const storage = new MemoryStorage();
      storage.setItem(NOTEBOOK_STORAGE_KEY, bad);
      restoreNotebook(storage);
      expect(present().cells).toEqual([]);
      expect(useNotebook.getState().message).toMatchObject({ kind: 'error' });
      expect(useNotebook.getState().message?.text).toMatch(/could not be restored/);
      expect(storage.getItem(`${NOTEBOOK_STORAGE_KEY}.damaged`)).toBe(bad);
    }
  });

  it('starts fresh when storage cannot be read', () => {
    const storage = new MemoryStorage();
    storage.getItem = () => {
      throw new Error('SecurityError');
    };
    restoreNotebook(storage);
    expect(present().cells).toEqual([]);
    expect(useNotebook.getState().message?.text).toMatch(/SecurityError/);
  });
});
