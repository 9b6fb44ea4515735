import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createHistory, record, redo, undo } from '../../src/core/history.ts';

describe('capture modes of the history', () => {
  it('records a step per recorded change', () => {
    let h = createHistory('a', 10);
    h = record(h, 'b');
    h = record(h, 'c', 'record');
    expect(h.past).toEqual(['a', 'b']);
    expect(undo(h).present).toBe('b');
  });

  it('merges changes under one key into one step, and a new key starts another', () => {
    let h = createHistory('', 10);
    for (const text of ['h', 'he', 'hel']) h = record(h, text, { merge: 'field:name' });
    expect(h.past).toEqual(['']);
    h = record(h, 'hel!', { merge: 'field:other' });
    h = record(h, 'hel!?', { merge: 'field:other' });
    expect(h.past).toEqual(['', 'hel']);
    expect(undo(h).present).toBe('hel');
    expect(undo(undo(h)).present).toBe('');
  });

  it('a recorded step or an undo ends a merge', () => {
    let h = createHistory(0, 10);
    h = record(h, 1, { merge: 'drag:x' });
    h = record(h, 2);
    h = record(h, 3, { merge: 'drag:x' });
    expect(h.past).toEqual([0, 1, 2]);
    h = undo(h);
    h = record(h, 4, { merge: 'drag:x' });
    expect(h.past).toEqual([0, 1, 2]);
    expect(h.present).toBe(4);
    expect(canRedo(h)).toBe(false);
  });

  it('skip changes the present without an undo step and keeps redo', () => {
    let h = record(createHistory('a', 10), 'b');
    h = undo(h);
    h = record(h, 'a*', 'skip');
    expect(h.present).toBe('a*');
    expect(canUndo(h)).toBe(false);
    expect(redo(h).present).toBe('b');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createHistory(0, 0)).toThrow(/positive integer/);
  });
});
