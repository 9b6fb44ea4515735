import { seededUniform } from '../../core/random.ts';

/**
 * Spatially correlated inputs, a stand-in for natural images and their gradients: every
 * slice along the last two axes (the last one for a 1-d tensor) is a sum of three plane
 * waves of low frequency (under two periods across the slice) with random amplitude and
 * phase, plus 10 % uniform noise. Neighbouring positions then carry similar values, which
 * is what makes sampling spatial positions cheap in accuracy (see the randomised-autodiff
 * tutorial); independent uniform values have no such structure. Seeded and pure, so the
 * same seed gives the same values on every backend.
 */
export function smoothValues(shape: readonly number[], seed: number): Float32Array {
  const size = shape.reduce((p, q) => p * q, 1);
  const out = new Float32Array(size);
  if (size === 0) return out;
  // Offset so smooth and uniform inputs of one seed are not built from the same draws.
  const next = seededUniform(seed + 0x2545f491);
  const rank = shape.length;
  const h = rank >= 2 ? shape[rank - 2] : 1;
  const w = rank >= 1 ? shape[rank - 1] : 1;
  const slices = size / (h * w);
  let at = 0;
  for (let slice = 0; slice < slices; slice++) {
    const waves = [0, 1, 2].map(() => ({
      fy: next() * 2,
      fx: next() * 2,
      phase: next() * 2 * Math.PI,
      amplitude: next() * 2 - 1,
    }));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let value = 0.1 * (next() * 2 - 1);
        for (const q of waves)
          value +=
            q.amplitude * Math.cos(2 * Math.PI * ((q.fy * y) / h + (q.fx * x) / w) + q.phase);
        out[at++] = value;
      }
    }
  }
  return out;
}
