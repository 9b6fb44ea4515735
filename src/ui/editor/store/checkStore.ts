import { create } from 'zustand';
import type { Derived } from '../model/replayDoc.ts';
import type { Sketch } from '../../../core/diagram/sketch.ts';
import { checkDerivation, type DerivationChecks } from '../model/stepChecks.ts';

/**
 * Numerical checks of the current derivation, computed after the diagram has been drawn
 * (in a worker where there is one, so the canvas never waits on them) and kept for the document they belong
 * to: a newer document's checks replace them, older ones are dropped.
 */
interface CheckState {
  doc?: Sketch;
  checks?: DerivationChecks;
}

export const useChecks = create<CheckState>()(() => ({}));

let pending: ReturnType<typeof setTimeout> | undefined;
let worker: Worker | undefined;
let latest = 0;

function checksWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  if (!worker) {
    try {
      worker = new Worker(new URL('./checkWorker.ts', import.meta.url), {
        type: 'module',
        name: 'einsketch-checks',
      });
    } catch {
      return undefined;
    }
  }
  return worker;
}

export function scheduleChecks(doc: Sketch, derived: Derived): void {
  if (pending !== undefined) clearTimeout(pending);
  const id = ++latest;
  pending = setTimeout(() => {
    pending = undefined;
    const w = checksWorker();
    if (w) {
      // The newest request wins: a worker busy with an older document is replaced.
      w.onmessage = (event: MessageEvent<{ id: number; checks?: DerivationChecks }>) => {
        if (event.data.id === latest) useChecks.setState({ doc, checks: event.data.checks });
      };
      w.onerror = () => useChecks.setState({ doc, checks: undefined });
      const hooks = (globalThis as { __einsketchTest?: unknown }).__einsketchTest;
      try {
        w.postMessage({ id, doc, derived, hooks });
        return;
      } catch {
        // Not cloneable: check here instead.
      }
    }
    let checks: DerivationChecks | undefined;
    try {
      checks = checkDerivation(doc, derived);
    } catch {
      checks = undefined;
    }
    useChecks.setState({ doc, checks });
  }, 50);
}
