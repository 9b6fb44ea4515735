import type { LayerConfig } from '../layer.ts';

/**
 * The smallest input size with the same remainders mod K and S that still gives two
 * outputs (one output would let the size-1 rules apply where they did not).
 */
function smallInput(i: number, k: number, s: number, p: number, d: number): number {
  const extent = k + (k - 1) * (d - 1);
  for (let n = Math.max(1, extent - 2 * p + s); n < i; n++) {
    if (n % k === i % k && n % s === i % s) return n;
  }
  return i;
}

/**
 * The layer a step check runs on: at most 2 examples and 2 channels per group, and the
 * smallest inputs that keep every rule's conditions (see smallInput).
 */
export function smallLayer(layer: LayerConfig): LayerConfig {
  const g = layer.groups;
  const padding = layer.padding;
  return {
    ...layer,
    batch: Math.min(layer.batch, 2),
    inChannels: g * Math.min(layer.inChannels / g, 2),
    outChannels: g * Math.min(layer.outChannels / g, 2),
    input: layer.input.map((i, a) =>
      smallInput(
        i,
        layer.kernel[a],
        layer.stride[a] ?? 1,
        Array.isArray(padding) ? padding[a] : 0,
        layer.dilation[a] ?? 1,
      ),
    ),
  };
}
