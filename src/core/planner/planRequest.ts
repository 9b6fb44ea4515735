import { z } from 'zod';
import { fail } from '../errors.ts';
import { fieldMessage, valueAt } from '../fieldMessage.ts';
import { quoteText } from '../quoteText.ts';
import { planEinsum } from './index.ts';
import type { LinearPath } from './cost.ts';

/**
 * Requests of `einsketch plan` (docs/design.md §4.1): {equation, shapes} in, {path, flops,
 * largest_intermediate} out. The equation is parsed in either style; every operand is a
 * dense data tensor, so flops are opt_einsum's dense FLOPs and the search minimises them.
 */

const planRequestSchema = z
  .object({
    equation: z.string(),
    shapes: z.array(z.array(z.number().int().min(1))),
  })
  .strict();

const EXPECTED = {
  equation: "an einsum string such as 'ij,jk->ik'",
  shapes: 'a list with one shape (a list of positive integers) per operand',
  shape: 'a list of positive integers',
};

export interface PlanResponse {
  path: LinearPath;
  flops: number;
  largest_intermediate: number;
}

export function answerPlanRequest(raw: unknown): PlanResponse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('a plan request must be a JSON object {equation, shapes}');
  const parsed = planRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys')
      fail(
        `invalid plan request: unknown field(s) ${issue.keys.map((k) => quoteText(k)).join(', ')}`,
      );
    // A bad entry of shapes names the whole operand's shape: "shapes.0 must be …, got [1.5]".
    const at = issue.path[0] === 'shapes' ? issue.path.slice(0, 2) : issue.path.slice(0, 1);
    const expected =
      at[0] === 'equation' ? EXPECTED.equation : at.length === 2 ? EXPECTED.shape : EXPECTED.shapes;
    fail(
      `invalid plan request: ${fieldMessage(at.map(String).join('.'), expected, valueAt(raw, at))}`,
    );
  }
  const plan = planEinsum(parsed.data.equation, parsed.data.shapes, { objective: 'dense' });
  return { path: plan.path, flops: plan.flops, largest_intermediate: plan.largestIntermediate };
}
