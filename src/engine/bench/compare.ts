/** How far two results (same layout, row-major) are apart. */

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`results differ in size: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]));
  return m;
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return maxAbsDiff(a, b) / (maxAbs(b) || 1);
}

/** ‖a − b‖ / ‖b‖ in the Frobenius norm: how far an estimate is from the value it estimates. */
export function relativeFrobeniusError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`results differ in size: ${a.length} vs ${b.length}`);
  let diff = 0;
  let ref = 0;
  for (let j = 0; j < a.length; j++) {
    diff += (a[j] - b[j]) ** 2;
    ref += b[j] ** 2;
  }
  return Math.sqrt(diff) / (Math.sqrt(ref) || 1);
}
