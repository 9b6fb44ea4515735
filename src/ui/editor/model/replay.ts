import type { Network } from '../../../core/network.ts';
import type { Doc } from './doc.ts';
import { derive, sourceNetwork } from './replayDoc.ts';

/**
 * A derivation replayed from its start to the step on screen: the source network, then the
 * network after each action, a simplification contributing one frame per rewrite step up to
 * the one shown. Pure; the replay never touches the document.
 */
export interface ReplayFrame {
  network: Network;
  highlight: { tensors: string[]; legs: string[] };
  caption: string;
}

const NONE = { tensors: [], legs: [] };

export function replayFrames(doc: Doc): ReplayFrame[] {
  const frames: ReplayFrame[] = [
    { network: sourceNetwork(doc.source), highlight: NONE, caption: 'the start' },
  ];
  doc.actions.forEach((action, k) => {
    const d = derive({ ...doc, actions: doc.actions.slice(0, k + 1) });
    if (action.kind === 'simplify' && d.simplify) {
      d.simplify.steps.slice(0, d.simplify.at).forEach(({ network, step }) =>
        frames.push({
          network,
          highlight: { tensors: step.tensors, legs: step.legs },
          caption: `${step.rule}: ${step.explanation}`,
        }),
      );
      return;
    }
    const caption =
      action.kind === 'dropout'
        ? `tensor dropout on ${action.index}`
        : action.kind === 'simplify'
          ? 'simplify'
          : `${action.kind === 'derivative' ? '∂' : action.kind.toUpperCase()} w.r.t. ${action.source ?? action.tensorId}`;
    frames.push({ network: d.network, highlight: d.highlight, caption });
  });
  return frames;
}
