import type { Network } from '../network.ts';

/** The simplification rules of docs/design.md §2.4, in the order the simplifier tries them. */
export type RuleName =
  'dense_pattern' | 'downsampling_pattern' | 'delta_removal' | 'sum_leg' | 'merge_legs' | 'squeeze';

/** What a logged step did: a simplification rule, or tensor dropout (not value-preserving). */
export type StepName = RuleName | 'tensor_dropout';

/** One entry of the step log, for the app to show and highlight. */
export interface RewriteStep {
  rule: StepName;
  /** One line with the numbers, e.g. "Π₁ is dense: K=S=4, P=0, D=1, I=256 divisible by 4 → …". */
  explanation: string;
  /** Ids of the tensors changed, removed or added. */
  tensors: string[];
  /** Indices changed, removed or added. */
  legs: string[];
  /** The network before and after, as named-style einsums. */
  before: string;
  after: string;
}

/** A place where a rule applies: enough to find it again in the same network. */
export interface Match {
  rule: RuleName;
  tensors: string[];
  legs: string[];
  /** Short description for menus ("Π₁ is dense", "δ(o1, ĩ1)"). */
  description: string;
}

/**
 * One rewrite rule. Every rule keeps the network's value: the result over the output legs,
 * reshaped row-major to `resultShape`, is unchanged (splitting or merging an open leg keeps
 * the row-major layout, so `resultShape` never changes).
 */
export interface RewriteRule {
  name: RuleName;
  title: string;
  /** The rule in one sentence, with its conditions. */
  summary: string;
  /** Every place the rule applies, in a deterministic order. */
  find(net: Network): Match[];
  /** Applies the rule at one match; throws an EinsketchError if the match does not fit. */
  apply(net: Network, match: Match): { network: Network; step: RewriteStep };
}
