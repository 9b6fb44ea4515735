import { z } from 'zod';
import { EinsketchError, fail } from './errors.ts';
import { checkNetworkLimits, checkShapeLimits } from './limits.ts';
import { product, type Network } from './network.ts';
import { getOperation, type OpInput, type OpName, type Operation } from './ops/index.ts';
import { dense, type Inputs } from './tensor.ts';

/**
 * Requests of `einsketch run` (docs/design.md §4.1): validated with zod, then turned into the
 * operation's tensor network and its input tensors. Every problem becomes one line.
 */

const intOrList = z.union([z.number().int(), z.array(z.number().int()).min(1)]);

const tensorSchema = z
  .object({
    shape: z.array(z.number().int().min(1)),
    data: z.array(z.number()),
  })
  .strict();

export const requestSchema = z
  .object({
    op: z.string(),
    tensors: z.record(z.string(), tensorSchema),
    stride: intOrList.optional(),
    padding: z.union([intOrList, z.literal('same'), z.literal('valid')]).optional(),
    dilation: intOrList.optional(),
    groups: z.number().int().optional(),
    kernel_size: intOrList.optional(),
    input_size: intOrList.optional(),
    output_padding: intOrList.optional(),
    simplify: z.boolean().optional(),
  })
  .strict();

export type RunRequest = z.infer<typeof requestSchema>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `'${issue.path.map(String).join('.')}'` : 'the request';
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')} in ${where}`;
  return `${where}: ${issue.message}`;
}

export function validateRequest(raw: unknown): RunRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('a request must be a JSON object');
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const opIssue = parsed.error.issues.find((i) => i.path[0] === 'op');
    fail(`invalid request: ${describeIssue(opIssue ?? parsed.error.issues[0])}`);
  }
  return parsed.data;
}

export interface PreparedRequest {
  op: Operation;
  request: RunRequest;
  network: Network;
  /** Networks whose values are added to the network's (the op's `addends`; often none). */
  addends: Network[];
  inputs: Inputs;
}

/** Validates a request and builds its network; throws EinsketchError naming the problem. */
export function prepareRequest(raw: unknown): PreparedRequest {
  // The op name first, so an unknown op is reported as such even if other fields are off.
  if (typeof raw === 'object' && raw !== null && 'op' in raw && typeof raw.op === 'string') getOperation(raw.op);
  const request = validateRequest(raw);
  const op = getOperation(request.op);
  const names = Object.keys(request.tensors);
  const optional = op.optionalInputs ?? [];
  const takes = [...op.inputs, ...optional.map((name) => `${name} (optional)`)].join(', ');
  for (const name of names) {
    if (!op.inputs.includes(name) && !optional.includes(name)) {
      fail(`${op.name} takes tensors ${takes}; got unexpected tensor '${name}'`);
    }
  }
  const inputs: Inputs = {};
  const shapes: Record<string, number[]> = {};
  for (const name of [...op.inputs, ...optional.filter((n) => request.tensors[n])]) {
    const t = request.tensors[name];
    if (!t) fail(`${op.name} needs tensor '${name}' (takes ${takes})`);
    checkShapeLimits(t.shape, `tensor '${name}'`);
    if (t.data.length !== product(t.shape)) {
      fail(`tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${product(t.shape)}`);
    }
    inputs[name] = dense(t.shape, t.data);
    shapes[name] = t.shape;
  }
  const opInput: OpInput = { ...request, shapes };
  try {
    const network = op.build(opInput);
    checkNetworkLimits(network);
    const addends = op.addends?.(opInput) ?? [];
    for (const addend of addends) checkNetworkLimits(addend);
    return { op, request, network, addends, inputs };
  } catch (err) {
    if (err instanceof EinsketchError) fail(`${op.name}: ${err.message}`);
    throw err;
  }
}

export type { OpName };
