import { create } from 'zustand';
import type { Network } from '../../core/network.ts';
import type { StepTime } from '../../engine/bench/stepProfile.ts';

/**
 * The profiled step times of the latest run of each network, written when a run ends and
 * read by the plan panel (which shows them beside its steps when the run took its path).
 * Measurements, not work: neither saved nor undone.
 */
export interface RunSteps {
  path: number[][];
  steps: StepTime[];
  backend: string;
}

const KEPT = 20;

export const useStepTimes = create<{ byNetwork: Record<string, RunSteps> }>()(() => ({
  byNetwork: {},
}));

/** Which network a run evaluated: equal keys, equal networks. */
export function networkKey(net: Network): string {
  return JSON.stringify(net);
}

export function recordStepTimes(
  net: Network,
  run: { plan: { path: number[][] }; steps?: StepTime[]; backend: string },
): void {
  if (!run.steps) return;
  const key = networkKey(net);
  useStepTimes.setState((s) => {
    const rest = Object.entries(s.byNetwork)
      .filter(([k]) => k !== key)
      .slice(-(KEPT - 1));
    const entry = { path: run.plan.path, steps: run.steps!, backend: run.backend };
    return { byNetwork: Object.fromEntries([...rest, [key, entry]]) };
  });
}
