import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The PyTorch reference cases (test/fixtures/ops.json, docs/design.md §5.1), read at run time. */
export interface FixtureCase {
  id: string;
  request: Record<string, unknown> & {
    op: string;
    tensors: Record<string, { shape: number[]; data: number[] }>;
  };
  expected: { shape: number[]; data: number[] };
  dense_plan?: { equation: string; shapes: number[][]; optimal_flops: number };
}

/**
 * The cases of a fixture file: ops.json by default, or curvature_ops.json (made by
 * scripts/make-curvature-fixtures.py) for the operations beyond the paper's main table.
 */
export function loadFixtures(file: 'ops.json' | 'curvature_ops.json' = 'ops.json'): FixtureCase[] {
  const path = fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: FixtureCase[] }).cases;
}

export function loadLayers(): { batch: number; layers: Record<string, unknown>[] } {
  const path = fileURLToPath(new URL('../fixtures/layers.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Largest deviation from the expected values, relative to the largest expected magnitude.
 * The fixture rounds its expected values to 7 decimals; that rounding (≤ 5e-8 absolute)
 * is allowed on top, since for tiny results (KFAC-reduce's 1/(N·(∏I)²) scale) it alone
 * exceeds 1e-4 relative.
 */
export function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 0;
  for (const e of expected) scale = Math.max(scale, Math.abs(e));
  let worst = 0;
  for (let j = 0; j < expected.length; j++) {
    const excess = Math.max(0, Math.abs(actual[j] - expected[j]) - 5e-8);
    worst = Math.max(worst, excess / (scale || 1));
  }
  return worst;
}
