import { z } from 'zod';
import { fail } from '../errors.ts';
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
    const where = issue.path.length ? `'${issue.path.map(String).join('.')}'` : 'the request';
    if (issue.code === 'unrecognized_keys')
      fail(`invalid plan request: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
    fail(`invalid plan request: ${where}: ${issue.message}`);
  }
  const plan = planEinsum(parsed.data.equation, parsed.data.shapes, { objective: 'dense' });
  return { path: plan.path, flops: plan.flops, largest_intermediate: plan.largestIntermediate };
}
