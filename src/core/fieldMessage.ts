/**
 * One-line messages for a field of a JSON request that is not what it must be: they name
 * the field, what was expected and what was given ("stride must be a positive integer or
 * one per spatial dimension, got 1.5"), never a schema library's generic wording.
 */

/** The value at `path` inside `raw`, or undefined where the path leaves the object. */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A short rendering of the value a user gave, for "got …". */
export function shownValue(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function fieldMessage(label: string, expected: string, value: unknown): string {
  if (value === undefined) return `${label} is missing: it must be ${expected}`;
  return `${label} must be ${expected}, got ${shownValue(value)}`;
}
