export type { Match, RewriteRule, RewriteStep, RuleName, StepName } from './rule.ts';
export { RULES, RULE_NAMES, getRule } from './rules/index.ts';
export {
  simplify,
  simplifyStep,
  type LoggedStep,
  type SimplifyOptions,
  type SimplifyResult,
} from './simplify.ts';
export { simplifyExpression, type ExpressionSimplification } from './simplifyExpression.ts';
