import { create } from 'zustand';
import type { Derived } from '../model/derive.ts';
import type { Doc } from '../model/doc.ts';
import { checkDerivation, type DerivationChecks } from '../model/stepChecks.ts';

/**
 * Numerical checks of the current derivation, computed after the diagram has been drawn
 * (a timer, so typing and stepping stay responsive) and kept for the document they belong
 * to: a newer document's checks replace them, older ones are dropped.
 */
interface CheckState {
  doc?: Doc;
  checks?: DerivationChecks;
}

export const useChecks = create<CheckState>()(() => ({}));

let pending: ReturnType<typeof setTimeout> | undefined;

export function scheduleChecks(doc: Doc, derived: Derived): void {
  if (pending !== undefined) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    let checks: DerivationChecks | undefined;
    try {
      checks = checkDerivation(doc, derived);
    } catch {
      checks = undefined;
    }
    useChecks.setState({ doc, checks });
  }, 50);
}
