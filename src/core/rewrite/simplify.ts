import { fail } from '../errors.ts';
import { checkNetwork, type Network } from '../network.ts';
import { RULE_NAMES, RULES } from './rules/index.ts';
import type { RewriteStep, RuleName } from './rule.ts';

export interface SimplifyOptions {
  /** Rules to leave out. */
  disabled?: RuleName[];
  /** Stop after this many steps (default 10 000, far more than any operation needs). */
  maxSteps?: number;
}

export interface LoggedStep {
  step: RewriteStep;
  /** The network after this step. */
  network: Network;
}

export interface SimplifyResult {
  network: Network;
  steps: LoggedStep[];
}

const DEFAULT_MAX_STEPS = 10_000;

function enabledRules(options: SimplifyOptions) {
  const disabled = new Set(options.disabled ?? []);
  for (const name of disabled)
    if (!RULE_NAMES.includes(name))
      fail(`unknown rewrite rule '${name}' (known: ${RULE_NAMES.join(', ')})`);
  return RULES.filter((r) => !disabled.has(r.name));
}

/**
 * The next step of the simplifier: the first rule (in RULES order) that applies, at its
 * first match. Null at the fixed point. Deterministic: the same network gives the same step.
 */
export function simplifyStep(net: Network, options: SimplifyOptions = {}): LoggedStep | null {
  for (const rule of enabledRules(options)) {
    const matches = rule.find(net);
    if (matches.length === 0) continue;
    const { network, step } = rule.apply(net, matches[0]);
    return { network, step };
  }
  return null;
}

/**
 * Applies the rules to a fixed point and returns the step log. Every rule removes an index
 * pattern, a delta leg or a leg, except the down-sampling rule, which turns a Π into a
 * dense one that the dense rule removes next; so the loop ends on its own and `maxSteps`
 * only guards against a future rule that does not.
 */
export function simplify(net: Network, options: SimplifyOptions = {}): SimplifyResult {
  checkNetwork(net);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const steps: LoggedStep[] = [];
  let current = net;
  while (steps.length < maxSteps) {
    const next = simplifyStep(current, options);
    if (!next) break;
    steps.push(next);
    current = next.network;
  }
  return { network: current, steps };
}
