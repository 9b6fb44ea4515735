/** Numbers as the run panel shows them; the test hooks hold plain numbers (no units). */

export { formatBytes } from '../../core/formatBytes.ts';

/** Milliseconds: three significant digits, never exponent notation. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export function formatError(x: number): string {
  return x === 0 ? '0' : x.toExponential(2);
}

export function formatRatio(r: number): string {
  return r >= 10 ? r.toFixed(1) : r.toFixed(2);
}
