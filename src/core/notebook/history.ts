/**
 * A bounded undo/redo history of immutable states (notebook documents). Recording a new
 * state drops the redo branch; beyond `limit` past states the oldest are forgotten, so
 * memory stays bounded however long the session.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  readonly limit: number;
}

export const DEFAULT_HISTORY_LIMIT = 1000;

export function createHistory<T>(present: T, limit = DEFAULT_HISTORY_LIMIT): History<T> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`history limit must be a positive integer, got ${limit}`);
  return { past: [], present, future: [], limit };
}

/** The new present; an identical state (same object) records nothing. */
export function record<T>(h: History<T>, next: T): History<T> {
  if (Object.is(next, h.present)) return h;
  const past = [...h.past, h.present];
  return {
    ...h,
    past: past.length > h.limit ? past.slice(past.length - h.limit) : past,
    present: next,
    future: [],
  };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;

export function undo<T>(h: History<T>): History<T> {
  if (!canUndo(h)) return h;
  return {
    ...h,
    past: h.past.slice(0, -1),
    present: h.past[h.past.length - 1],
    future: [h.present, ...h.future],
  };
}

export function redo<T>(h: History<T>): History<T> {
  if (!canRedo(h)) return h;
  return { ...h, past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
