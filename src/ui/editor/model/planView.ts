import type { Network } from '../../../core/network.ts';
import {
  costOfPath,
  type CostModel,
  keptIndices,
  type LinearPath,
  type PathEvaluation,
  type PlanStep,
} from '../../../core/planner/index.ts';

/**
 * The contraction plan as a tree (leaves are the network's tensors, inner nodes the
 * pairwise contractions in path order) and the hand-made path a user builds by picking
 * which two operands to contract next.
 */
export interface PlanTreeNode {
  /** Leaf: the tensor's label; inner node: `#step`. */
  label: string;
  legs: string[];
  step?: PlanStep;
  stepNumber?: number;
  children: PlanTreeNode[];
}

export function planTree(net: Network, steps: readonly PlanStep[]): PlanTreeNode | undefined {
  let current: PlanTreeNode[] = net.tensors.map((t) => ({
    label: t.label,
    legs: t.legs,
    children: [],
  }));
  steps.forEach((step, k) => {
    const children = step.operands.map((p) => current[p]);
    current = current.filter((_, p) => !step.operands.includes(p));
    current.push({ label: `#${k + 1}`, legs: step.result, step, stepNumber: k + 1, children });
  });
  return current.length === 1 ? current[0] : undefined;
}

/** Operands still to contract after the hand-made steps so far (labels of leaves and results). */
export interface HandOperand {
  label: string;
  legs: string[];
}

export function handOperands(net: Network, path: LinearPath): HandOperand[] {
  let current: HandOperand[] = net.tensors.map((t) => ({ label: t.label, legs: t.legs }));
  path.forEach((group, k) => {
    const legs = keptIndices(
      current.map((op) => op.legs),
      group,
      net.output,
    );
    const label = `(${group.map((p) => current[p].label).join('·')})`;
    current = current.filter((_, p) => !group.includes(p));
    current.push({ label: label.length > 40 ? `#${k + 1}` : label, legs });
  });
  return current;
}

/** Cost of a complete hand-made path (dense and structured), or undefined while operands remain. */
export function handCost(
  net: Network,
  path: LinearPath,
  costModel?: CostModel,
): PathEvaluation | undefined {
  if (net.tensors.length - path.length !== 1) return undefined;
  return costOfPath(net, path, 'structured', costModel);
}

/** What each step contracts, by name: tensor labels, and #k for the result of step k. */
export function stepOperandLabels(net: Network, steps: readonly PlanStep[]): string[] {
  let current = net.tensors.map((t) => t.label);
  return steps.map((step, k) => {
    const names = step.operands.map((p) => current[p]);
    current = current.filter((_, p) => !step.operands.includes(p));
    current.push(`#${k + 1}`);
    return names.join(' · ');
  });
}

export function formatCount(n: number): string {
  if (n < 1e4) return String(n);
  const exp = Math.floor(Math.log10(n));
  return `${(n / 10 ** exp).toFixed(2)}e${exp}`;
}
