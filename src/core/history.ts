/**
 * A bounded undo/redo history of immutable states: the one history of the editor and the
 * notebook. Each change says how it is captured, so what makes one undo step is a property
 * of the action, not of the clock:
 * - 'record': a step of its own;
 * - { merge: key }: folded into the previous step when that one was merged under the same
 *   key (typing into one field, dragging one node again), else a step of its own;
 * - 'skip': the present changes but no step is kept (state that undo must not bring back).
 * Recording a step drops the redo branch; beyond `limit` past states the oldest are
 * forgotten, so memory stays bounded however long the session.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  readonly limit: number;
  /** Key of the merged step the present belongs to (more of the same key merge into it). */
  readonly mergeKey?: string;
}

export type Capture = 'record' | 'skip' | { merge: string };

export function createHistory<T>(present: T, limit: number): History<T> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`history limit must be a positive integer, got ${limit}`);
  return { past: [], present, future: [], limit };
}

/** The new present, captured as `capture` says; an identical state (same object) records nothing. */
export function record<T>(h: History<T>, next: T, capture: Capture = 'record'): History<T> {
  if (Object.is(next, h.present)) return h;
  if (capture === 'skip') return { ...h, present: next };
  const key = typeof capture === 'object' ? capture.merge : undefined;
  if (key !== undefined && h.mergeKey === key)
    return { ...h, present: next, future: [], mergeKey: key };
  const past = [...h.past, h.present];
  return {
    past: past.length > h.limit ? past.slice(past.length - h.limit) : past,
    present: next,
    future: [],
    limit: h.limit,
    ...(key !== undefined ? { mergeKey: key } : {}),
  };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0;
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;

export function undo<T>(h: History<T>): History<T> {
  if (!canUndo(h)) return h;
  return {
    past: h.past.slice(0, -1),
    present: h.past[h.past.length - 1],
    future: [h.present, ...h.future],
    limit: h.limit,
  };
}

export function redo<T>(h: History<T>): History<T> {
  if (!canRedo(h)) return h;
  return {
    past: [...h.past, h.present],
    present: h.future[0],
    future: h.future.slice(1),
    limit: h.limit,
  };
}
