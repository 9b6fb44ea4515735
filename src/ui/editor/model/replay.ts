import type { Sketch } from '../../../core/diagram/sketch.ts';
import { derivationFrames, type DerivationFrame } from '../../../core/diagram/derivationFrames.ts';

export type ReplayFrame = DerivationFrame;

/**
 * The editor's derivation replayed from its start to the step on screen: the same frames a
 * notebook cell's player shows, built as the editor builds (networks over the size limits
 * are drawn too). Pure; the replay never touches the work.
 */
export function replayFrames(doc: Sketch): ReplayFrame[] {
  return derivationFrames(doc.diagram, 0, { checkLimits: false });
}
