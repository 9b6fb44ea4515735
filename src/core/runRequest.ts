import { z } from 'zod';
import { EinsketchError, fail } from './errors.ts';
import { fieldMessage, valueAt } from './fieldMessage.ts';
import { quoteText } from './quoteText.ts';
import { checkNetworkLimits, checkShapeLimits } from './limits.ts';
import { product, type Network } from './network.ts';
import { getOperation, type OpInput, type OpName, type Operation } from './ops/index.ts';
import { dense, type Inputs } from './tensor.ts';

/**
 * Requests of `einsketch run` (docs/design.md §4.1): validated with zod, then turned into the
 * operation's tensor network and its input tensors. Every problem becomes one line.
 */

const positive = z.number().int().min(1);
const nonNegative = z.number().int().min(0);
const perDimension = (value: z.ZodNumber) => z.union([value, z.array(value).min(1)]);

const tensorSchema = z
  .object({
    shape: z.array(positive),
    data: z.array(z.number()),
  })
  .strict();

export const requestSchema = z
  .object({
    op: z.string(),
    tensors: z.record(z.string(), tensorSchema),
    stride: perDimension(positive).optional(),
    padding: z.union([perDimension(nonNegative), z.literal('same'), z.literal('valid')]).optional(),
    dilation: perDimension(positive).optional(),
    groups: positive.optional(),
    kernel_size: perDimension(positive).optional(),
    input_size: perDimension(positive).optional(),
    output_padding: perDimension(nonNegative).optional(),
    simplify: z.boolean().optional(),
  })
  .strict();

export type RunRequest = z.infer<typeof requestSchema>;

/** What each field must be, in the words a message shows. */
const EXPECTED: Record<string, string> = {
  op: "the name of an operation (see 'einsketch ops')",
  tensors: 'an object {name: {shape, data}}',
  stride: 'a positive integer or one per spatial dimension',
  padding: "a non-negative integer, one per spatial dimension, 'same' or 'valid'",
  dilation: 'a positive integer or one per spatial dimension',
  groups: 'a positive integer',
  kernel_size: 'a positive integer or one per spatial dimension',
  input_size: 'a positive integer or one per spatial dimension',
  output_padding: 'a non-negative integer or one per spatial dimension',
  simplify: 'true or false',
};

const EXPECTED_IN_TENSOR: Record<string, string> = {
  shape: 'a list of positive integers',
  data: 'a flat list of numbers in row-major order',
};

/** One line naming the field, what it must be and what it is, e.g. "stride must be …, got 1.5". */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path;
  const where = path.length ? quoteText(path.map(String).join('.')) : 'the request';
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => quoteText(k)).join(', ')} in ${where}`;
  const [field, , part] = path;
  let expected: string | undefined;
  let at: PropertyKey[] = path;
  if (field !== 'tensors') {
    // A bad entry of a list names the whole field: "stride must be …, got [1,0]".
    expected = EXPECTED[String(field)];
    at = [field];
  } else if (path.length === 1) expected = EXPECTED.tensors;
  else if (path.length === 2) expected = 'an object {shape, data}';
  else if (typeof part === 'string' && part in EXPECTED_IN_TENSOR) {
    expected = EXPECTED_IN_TENSOR[part];
    at = path.slice(0, 3);
  }
  if (expected === undefined) return `${where}: ${issue.message}`;
  return fieldMessage(at.map(String).join('.'), expected, valueAt(raw, at));
}

export function validateRequest(raw: unknown): RunRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('a request must be a JSON object');
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    // The op first, then a field that was given wrongly, before one that is missing.
    const { issues } = parsed.error;
    const issue =
      issues.find((i) => i.path[0] === 'op') ??
      issues.find((i) => valueAt(raw, i.path) !== undefined) ??
      issues[0];
    fail(`invalid request: ${describeIssue(issue, raw)}`);
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
  if (typeof raw === 'object' && raw !== null && 'op' in raw && typeof raw.op === 'string')
    getOperation(raw.op);
  const request = validateRequest(raw);
  const op = getOperation(request.op);
  const names = Object.keys(request.tensors);
  const optional = op.optionalInputs ?? [];
  const takes = [...op.inputs, ...optional.map((name) => `${name} (optional)`)].join(', ');
  for (const name of names) {
    if (!op.inputs.includes(name) && !optional.includes(name)) {
      fail(`${op.name} takes tensors ${takes}; got unexpected tensor ${quoteText(name)}`);
    }
  }
  const inputs: Inputs = {};
  const shapes: Record<string, number[]> = {};
  for (const name of [...op.inputs, ...optional.filter((n) => request.tensors[n])]) {
    const t = request.tensors[name];
    if (!t) fail(`${op.name} needs tensor '${name}' (takes ${takes})`);
    checkShapeLimits(t.shape, `tensor '${name}'`);
    if (t.data.length !== product(t.shape)) {
      fail(
        `tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${product(t.shape)}`,
      );
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
