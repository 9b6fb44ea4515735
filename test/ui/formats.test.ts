import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sketchOfCell } from '../../src/core/diagram/sketch.ts';
import { buildDiagram } from '../../src/core/notebook/index.ts';
import { decodeShare } from '../../src/core/share/index.ts';
import { deserialize, serialize } from '../../src/ui/editor/model/persist.ts';
import { derive } from '../../src/ui/editor/model/replayDoc.ts';
import { restoreEditing, useEditing } from '../../src/ui/notebook/store/editing.ts';
import { EDITING_STORAGE_KEY } from '../../src/ui/notebook/store/editing.ts';
import { MemoryStorage } from '../helpers/memoryStorage.ts';

/**
 * Every format einsketch has written keeps opening: the frozen samples in
 * test/fixtures/formats were captured from the code that wrote them (editor autosave
 * format 1 with its actions, its editing session, and its diagram share links), with the
 * network each one showed. They must open to that same network.
 */
interface Sample {
  name: string;
  saved: string;
  network: unknown;
  formulaTerms: number;
  share: string;
  shareNetwork: unknown;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/formats/editor-v1.json', import.meta.url), 'utf8'),
) as { samples: Sample[]; editingSession: string };

describe('editor autosave format 1', () => {
  it.each(fixture.samples.map((s) => [s.name, s] as const))(
    '%s opens to the same network',
    (_, s) => {
      const restored = deserialize(s.saved);
      expect(restored.kind === 'corrupt' ? restored.reason : restored.kind).toBe('ok');
      if (restored.kind !== 'ok') return;
      expect(restored.migratedFrom).toBe(1);
      const derived = derive(restored.doc);
      expect(derived.network).toEqual(s.network);
      expect(derived.formula).toHaveLength(s.formulaTerms);
      // Saved again in the current format, it reads back unchanged.
      const again = deserialize(serialize(restored.doc));
      expect(again).toEqual({ kind: 'ok', doc: restored.doc });
      // The positions the user dragged survive the migration.
      expect(restored.doc.positions).toEqual(JSON.parse(s.saved).doc.positions);
    },
  );
});

describe('diagram share links written by the editor', () => {
  it.each(fixture.samples.map((s) => [s.name, s] as const))(
    '%s opens in the notebook and in the editor to the network it showed',
    (_, s) => {
      const decoded = decodeShare(s.share);
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      const cell = decoded.doc.cells[0];
      if (cell.kind !== 'diagram') throw new Error('not a diagram cell');
      const built = buildDiagram(cell);
      expect(built.ok && built.sum.terms[0].network).toEqual(s.shareNetwork);
      expect(derive(sketchOfCell(cell)).network).toEqual(s.network);
    },
  );
});

describe('an editing session saved in format 1', () => {
  it('comes back after a reload with the cell and both sketches', () => {
    const storage = new MemoryStorage();
    storage.setItem(EDITING_STORAGE_KEY, fixture.editingSession);
    restoreEditing(storage);
    const session = useEditing.getState().session;
    expect(session?.cellId).toBe('diagram-1');
    const old = JSON.parse(fixture.editingSession) as { startDoc: string; userDoc: string };
    const sample = (name: string) => fixture.samples.find((s) => s.name === name)!;
    expect(derive(session!.startDoc).network).toEqual(sample('einsum_jvp').network);
    expect(derive(session!.userDoc).network).toEqual(sample('preset_vjp_simplify').network);
    expect(deserialize(old.startDoc).kind).toBe('ok');
  });
});
