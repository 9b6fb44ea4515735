import type { Network, Tensor } from '../../core/network.ts';
import { formatScalar } from './diagramLayout.ts';

/**
 * The diagram's visual language, in numbers shared by the layout (which reserves room) and
 * the views (which draw): data tensors as labelled boxes, Π as a compact glyph with its legs
 * marked k / o / i, δ as a dot, scalars as a small circle, hyperedges as a dot.
 */
// Sized so that the widest diagrams (6 layers, e.g. a JVP of per_example_grad_norm) still
// show index names at ≥ 11 px when fitted into the editor's canvas at 1440×900.
export const TEXT = {
  /** Index names beside edges and at the border (monospace, so widths are known). */
  index: 15,
  /** Leg roles k / o / i inside a Π glyph. */
  role: 15,
  /** A tensor's name. */
  name: 19,
  /** A scalar's value. */
  scalar: 14,
} as const;

/** Width of one character of the monospace fonts, as a fraction of the font size. */
const MONO_ADVANCE = 0.62;

export function monoWidth(text: string, px: number): number {
  return Math.ceil([...text].length * px * MONO_ADVANCE);
}

export const HUB_DOT = 12;
export const DELTA_DOT = 18;
export const LABEL_PAD = 3;
/** Vertical distance between the free legs at the border. */
export const BORDER_ROW = 26;

/** What an index's edge label says: its name and size. */
export function indexLabel(index: string, size: number): string {
  return `${index} · ${size}`;
}

/** Hyper-parameters of Π and the shape of other tensors, for hover text and the inspector. */
export function tensorDetails(net: Network, t: Tensor): string {
  switch (t.kind) {
    case 'index_pattern': {
      const p = t.pattern;
      const pad = p.padLeft === p.padRight ? `${p.padLeft}` : `${p.padLeft},${p.padRight}`;
      return `I=${p.inputSize} K=${p.kernelSize} S=${p.stride} P=${pad} D=${p.dilation} (O=${p.outputSize})`;
    }
    case 'scalar':
      return `value ${formatScalar(t.value)}`;
    case 'delta':
      return t.legs.length > 0 ? `legs ${t.legs.join(', ')} of size ${net.sizes[t.legs[0]]}` : '';
    case 'data':
      return `shape ${t.legs.map((l) => `${l}=${net.sizes[l]}`).join(' × ')}`;
  }
}
