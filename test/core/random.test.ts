import { describe, expect, it } from 'vitest';
import { seededUniform } from '../../src/core/random.ts';

describe('seededUniform', () => {
  it('repeats a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 8 }, seededUniform(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('is uniform on [0, 1): mean, variance and the ten deciles of 100,000 draws', () => {
    const next = seededUniform(1);
    const n = 100_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    let squares = 0;
    for (let j = 0; j < n; j++) {
      const u = next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      squares += u * u;
      deciles[Math.floor(u * 10)]++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(squares / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    for (const count of deciles) expect(Math.abs(count - n / 10)).toBeLessThan(600);
  });
});
