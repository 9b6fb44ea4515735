import type { Network } from '../network.ts';
import {
  buildDiagram,
  DEFAULT_APPLIERS,
  type BuildOptions,
  type DiagramCell,
  type Step,
  type StepAppliers,
} from '../notebook/index.ts';
import { simplify, type LoggedStep } from '../rewrite/index.ts';
import { describeStep } from './describeStep.ts';

/**
 * A diagram cell's derivation as frames to step through and play: the source network, then
 * the network after each step — a simplification contributing one frame per rewrite, as the
 * editor's Play derivation and a notebook cell's player both show — the last frame being what the cell shows. A step that gives a sum
 * continues with the term on screen (`term`, clamped to the terms there are). Pure.
 */
export interface DerivationFrame {
  network: Network;
  caption: string;
  /** What a rewrite changed (drawn highlighted). */
  highlight: { tensors: string[]; legs: string[] };
}

const NONE = { tensors: [], legs: [] };

/** Rewrites shown one by one; a longer simplification shows only its result. */
const MAX_REWRITE_FRAMES = 60;

const cache = new WeakMap<Pick<DiagramCell, 'source' | 'steps'>, Map<number, DerivationFrame[]>>();

/** The frames of a cell, made once per cell object (cells are immutable) and term. */
export function framesOf(cell: Pick<DiagramCell, 'source' | 'steps'>, term = 0): DerivationFrame[] {
  let byTerm = cache.get(cell);
  if (!byTerm) cache.set(cell, (byTerm = new Map()));
  let frames = byTerm.get(term);
  if (!frames) byTerm.set(term, (frames = derivationFrames(cell, term)));
  return frames;
}

export function derivationFrames(
  cell: Pick<DiagramCell, 'source' | 'steps'>,
  term = 0,
  options: BuildOptions = {},
): DerivationFrame[] {
  // Each simplification's rewrites are kept as the build makes them (one simplifier run per
  // step), in the order of the steps.
  const rewrites = new Map<Step, LoggedStep[][]>();
  const appliers: StepAppliers = {
    ...DEFAULT_APPLIERS,
    simplify: (net, step) => {
      const { network, steps } = simplify(net, { disabled: step.disabled, maxSteps: step.steps });
      rewrites.set(step, [...(rewrites.get(step) ?? []), steps]);
      return network;
    },
  };
  const built = buildDiagram(cell, appliers, options);
  if (!built.ok) return [];
  const pick = (k: number) => {
    const terms = built.stages[k].terms;
    return terms[Math.min(term, terms.length - 1)].network;
  };
  const frames: DerivationFrame[] = [{ network: pick(0), caption: 'the start', highlight: NONE }];
  cell.steps.forEach((step, j) => {
    // Taken in step order, so a step object listed twice gives each its own log.
    const logs = step.kind === 'simplify' ? rewrites.get(step)?.shift() : undefined;
    if (logs && built.stages[j].terms.length === 1) {
      if (logs.length > 0 && logs.length <= MAX_REWRITE_FRAMES) {
        for (const s of logs)
          frames.push({
            network: s.network,
            caption: `${s.step.rule}: ${s.step.explanation}`,
            highlight: { tensors: s.step.tensors, legs: s.step.legs },
          });
        return;
      }
    }
    frames.push({ network: pick(j + 1), caption: describeStep(step), highlight: NONE });
  });
  return frames;
}
