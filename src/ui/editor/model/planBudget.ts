/**
 * Time the anytime planner searches (branch-and-bound, random greedy) get while the user
 * edits: short enough that a re-plan fits in a frame with the rest of the recompute.
 */
export const LIVE_PLAN_BUDGET_MS = 10;
