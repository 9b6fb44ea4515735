import { linearToSsa, ssaToLinear, type LinearPath } from '../../core/planner/index.ts';

/**
 * The planner's contraction path over the network's tensors, read as a path over the
 * kernel operands (each data tensor with the index patterns that ride on it): a step that
 * joins two parts holding data tensors is one kernel per pair; a step that joins a
 * pattern, δ or scalar to anything runs none (patterns ride as views on the data tensor
 * attachPatterns gave them, which the cost model prices the same). `hostOf[t]` is the
 * operand of data tensor t, undefined for every other tensor. `planSteps[k]` is the
 * planner step that kernel step k carries out, so the plan can say which kernel ran it.
 *
 * Undefined for a partial path (it leaves some data tensors apart).
 */
export function followPlan(
  path: LinearPath,
  hostOf: readonly (number | undefined)[],
  hostCount: number,
): { path: LinearPath; planSteps: number[] } | undefined {
  if (hostCount < 2) return { path: [], planSteps: [] };
  const ssa = linearToSsa(path, hostOf.length);
  // Per planner node: how many data tensors it holds, and its node in the followed path.
  const held: number[] = hostOf.map((h) => (h === undefined ? 0 : 1));
  const node: (number | undefined)[] = [...hostOf];
  const followed: number[][] = [];
  const planSteps: number[] = [];
  let next = hostCount;
  for (const [s, group] of ssa.entries()) {
    const parts = group.filter((id) => held[id] > 0);
    let id = parts.length ? node[parts[0]] : undefined;
    // The walk contracts a group of several pairwise, in order: one kernel per pair.
    for (const other of parts.slice(1)) {
      followed.push([id!, node[other]!]);
      planSteps.push(s);
      id = next++;
    }
    held.push(parts.reduce((n, p) => n + held[p], 0));
    node.push(id);
  }
  if (held[held.length - 1] !== hostCount) return undefined;
  return { path: ssaToLinear(followed, hostCount), planSteps };
}
