import type { LoggedStep } from '../../../core/rewrite/index.ts';

/**
 * Hooks end-to-end tests set on the page (`window.__einsketchTest`) to prove that a check
 * catches a fault; nothing in the app sets them. `breakRule` makes every step of that rule
 * (and the networks after it) twice the value it should be, as a wrong rule would.
 */
interface TestHooks {
  breakRule?: string;
}

function hooks(): TestHooks | undefined {
  return (globalThis as { __einsketchTest?: TestHooks }).__einsketchTest;
}

export function withTestFaults(steps: LoggedStep[]): LoggedStep[] {
  const rule = hooks()?.breakRule;
  if (!rule) return steps;
  let broken = false;
  return steps.map((s) => {
    broken ||= s.step.rule === rule;
    if (!broken) return s;
    const network = structuredClone(s.network);
    network.tensors.push({ id: 'test-fault', label: '2', kind: 'scalar', value: 2, legs: [] });
    return { ...s, network };
  });
}
