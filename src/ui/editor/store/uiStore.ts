import { create } from 'zustand';
import type { PlanAlgorithm } from '../../../core/planner/index.ts';
import type { LinearPath } from '../../../core/planner/index.ts';

/**
 * View state that is not part of the work (not undone, not saved): what is selected, the
 * planner's algorithm and the contraction order being built by hand.
 */
export type Selection = { kind: 'tensor'; id: string } | { kind: 'index'; index: string } | null;

export interface UiState {
  selection: Selection;
  algorithm: PlanAlgorithm;
  handPath: LinearPath;
  /** Operand picked as the first of the next hand-made pair. */
  handPick: number | null;
  hintVisible: boolean;
}

export const useUi = create<UiState>()(() => ({
  selection: null,
  algorithm: 'auto',
  handPath: [],
  handPick: null,
  hintVisible: false,
}));

export function select(selection: Selection): void {
  useUi.setState({ selection });
}

export function setAlgorithm(algorithm: PlanAlgorithm): void {
  useUi.setState({ algorithm });
}

export function showHint(visible: boolean): void {
  useUi.setState({ hintVisible: visible });
}

/** Picks an operand of the hand-made order; the second pick contracts the pair. */
export function pickOperand(position: number): void {
  const { handPick, handPath } = useUi.getState();
  if (handPick === null) useUi.setState({ handPick: position });
  else if (handPick === position) useUi.setState({ handPick: null });
  else useUi.setState({ handPath: [...handPath, [handPick, position]], handPick: null });
}

export function undoHandStep(): void {
  const { handPath } = useUi.getState();
  useUi.setState({ handPath: handPath.slice(0, -1), handPick: null });
}

export function resetHandPath(): void {
  useUi.setState({ handPath: [], handPick: null });
}
