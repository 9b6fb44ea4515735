import type { RewriteRule, RuleName } from '../rule.ts';
import { deltaRemoval } from './deltaRemoval.ts';
import { densePattern } from './densePattern.ts';
import { downsamplingPattern } from './downsamplingPattern.ts';
import { mergeLegs } from './mergeLegs.ts';
import { squeeze } from './squeeze.ts';
import { sumLeg } from './sumLeg.ts';

/**
 * The rules in the order the simplifier tries them: the convolution-specific Π rules
 * first (they create the deltas), then delta removal (which consumes them), then the
 * generic clean-ups.
 */
export const RULES: readonly RewriteRule[] = [
  densePattern,
  downsamplingPattern,
  deltaRemoval,
  sumLeg,
  mergeLegs,
  squeeze,
];

export const RULE_NAMES: readonly RuleName[] = RULES.map((r) => r.name);

export function getRule(name: RuleName): RewriteRule {
  return RULES.find((r) => r.name === name)!;
}

export { deltaRemoval, densePattern, downsamplingPattern, mergeLegs, squeeze, sumLeg };
