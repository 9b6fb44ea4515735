import type { Sketch } from '../../../core/diagram/sketch.ts';
import type { Network } from '../../../core/network.ts';
import type { Step } from '../../../core/notebook/index.ts';
import { derive, sourceNetwork } from './replayDoc.ts';

/**
 * A derivation replayed from its start to the step on screen: the source network, then the
 * network after each step, a simplification contributing one frame per rewrite step up to
 * the one shown. Pure; the replay never touches the work.
 */
export interface ReplayFrame {
  network: Network;
  highlight: { tensors: string[]; legs: string[] };
  caption: string;
}

const NONE = { tensors: [], legs: [] };

function captionOf(step: Step): string {
  switch (step.kind) {
    case 'dropout':
      return `tensor dropout on ${step.index}`;
    case 'simplify':
      return 'simplify';
    case 'squared_norm':
      return 'squared norm';
    default:
      return `${step.kind === 'derivative' ? '∂' : step.kind.toUpperCase()} w.r.t. ${step.source}`;
  }
}

export function replayFrames(doc: Sketch): ReplayFrame[] {
  const { source, steps } = doc.diagram;
  const frames: ReplayFrame[] = [
    { network: sourceNetwork(source), highlight: NONE, caption: 'the start' },
  ];
  steps.forEach((step, k) => {
    const d = derive({ ...doc, diagram: { source, steps: steps.slice(0, k + 1) } });
    if (step.kind === 'simplify' && d.simplify) {
      d.simplify.steps.slice(0, d.simplify.at).forEach(({ network, step: rewrite }) =>
        frames.push({
          network,
          highlight: { tensors: rewrite.tensors, legs: rewrite.legs },
          caption: `${rewrite.rule}: ${rewrite.explanation}`,
        }),
      );
      return;
    }
    frames.push({ network: d.network, highlight: d.highlight, caption: captionOf(step) });
  });
  return frames;
}
