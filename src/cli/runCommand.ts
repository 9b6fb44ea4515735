import { formatDeclaredEinsum, formatEinsum } from '../core/einsum/index.ts';
import { fail } from '../core/errors.ts';
import { pathCost, type LinearPath } from '../core/planner/cost.ts';
import { referenceBudget } from '../core/reference/budget.ts';
import { evaluateReference, planReference } from '../core/reference/evaluateReference.ts';
import { prepareRequest } from '../core/runRequest.ts';
import { simplify } from '../core/rewrite/index.ts';
import type { Network } from '../core/network.ts';
import type { DenseTensor, Inputs } from '../core/tensor.ts';
import { DEFAULT_MEMORY_BUDGET_BYTES, evaluateNetwork } from '../engine/evaluate.ts';
import { ensureNodeBackend, selectNodeBackend } from '../engine/node.ts';

/** How a request's network is evaluated: which contraction path, and the values. */
export interface Evaluator {
  name: string;
  /** Starts what the evaluator needs once, before any request; throws a one-line reason. */
  ready?(): Promise<void>;
  evaluate(net: Network, inputs: Inputs): Promise<{ result: DenseTensor; path: LinearPath }>;
}

/**
 * The float64 reference evaluator along the planner's path (every tensor costed as dense);
 * a request whose arrays would exceed the budget, or whose loop would take too long, is
 * refused before allocation.
 */
export function referenceEvaluator(
  memoryBudgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES,
): Evaluator {
  return {
    name: 'reference',
    async evaluate(net, inputs) {
      const budget = referenceBudget({ memoryBudgetBytes });
      const path = planReference(net, budget);
      return { result: evaluateReference(net, inputs, path, budget), path };
    },
  };
}

/**
 * The default: the planner's path run by the tfjs engine on tfjs-backend-cpu (float32).
 * Requests whose intermediates would exceed the budget are refused before allocation.
 */
export function engineEvaluator(
  memoryBudgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES,
): Evaluator {
  return {
    name: 'engine',
    async evaluate(net, inputs) {
      await ensureNodeBackend();
      const { result, path } = await evaluateNetwork(net, inputs, { memoryBudgetBytes });
      return { result, path };
    },
  };
}

/**
 * The same engine on tfjs-backend-webgpu, in Node through Dawn (npm 'webgpu'): a GPU's
 * own Vulkan driver where there is one, else Chromium's SwiftShader. No fallback: asking
 * for WebGPU and silently getting the CPU would hide what was measured.
 */
export function webgpuEvaluator(
  memoryBudgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES,
): Evaluator {
  let started: Promise<void> | undefined;
  const ready = () => {
    started ??= selectNodeBackend(['webgpu']).then(
      () => undefined,
      (err: unknown) => {
        const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
        fail(`--engine webgpu: ${reason.replace(/^no tfjs backend available: webgpu: /, '')}`);
      },
    );
    return started;
  };
  return {
    name: 'webgpu',
    ready,
    async evaluate(net, inputs) {
      await ready();
      const { result, path } = await evaluateNetwork(net, inputs, { memoryBudgetBytes });
      return { result, path };
    },
  };
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gib: 2 ** 30,
};

function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || !(Number(m[1]) * unit >= 1)) {
    fail(`--memory-budget takes a size in bytes such as 1073741824, 512MiB or 2GiB, got '${text}'`);
  }
  return Math.floor(Number(m[1]) * unit);
}

/** Options of `einsketch run`: [--engine engine|webgpu|reference] [--memory-budget SIZE] FILE|-. */
export function parseRunArgs(args: readonly string[]): {
  file: string | undefined;
  evaluator: Evaluator;
} {
  let engine = 'engine';
  let budget = DEFAULT_MEMORY_BUDGET_BYTES;
  const files: string[] = [];
  for (let j = 0; j < args.length; j++) {
    const arg = args[j];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++j];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--engine') engine = value();
    else if (flag === '--memory-budget') budget = parseBytes(value());
    else if (flag.startsWith('--'))
      fail(
        `unknown option '${flag}' for run (known: --engine engine|webgpu|reference, --memory-budget SIZE)`,
      );
    else files.push(arg);
  }
  if (files.length > 1) fail(`run takes one FILE or '-', got ${files.length}: ${files.join(' ')}`);
  const evaluators: Record<string, () => Evaluator> = {
    engine: () => engineEvaluator(budget),
    webgpu: () => webgpuEvaluator(budget),
    reference: () => referenceEvaluator(budget),
  };
  if (!evaluators[engine])
    fail(`--engine must be 'engine', 'webgpu' or 'reference', got '${engine}'`);
  return { file: files[0], evaluator: evaluators[engine]() };
}

/** One network's einsum, contraction path and FLOPs, as the response reports them. */
export interface TermReport {
  equation: string;
  /** The named einsum with what each operand is (`… ; x, Π₁=Pi(…), …`): plan and the editor read it. */
  einsum: string;
  path: LinearPath;
  flops: number;
}

export interface RunResponse extends TermReport {
  op: string;
  shape: number[];
  data: number[];
  /**
   * Only for an operation that is a sum of networks (conv_forward with a bias): the
   * further networks, whose values are in `data` too.
   */
  addends?: TermReport[];
}

async function evaluateTerm(
  built: Network,
  inputs: Inputs,
  evaluator: Evaluator,
  simplifyFirst: boolean,
): Promise<{ result: DenseTensor; report: TermReport }> {
  // `simplify` (default true) applies the rewrite rules first; the equation, path and
  // FLOPs then describe the simplified network, whose value is the same.
  const network = simplifyFirst ? simplify(built).network : built;
  const { result, path } = await evaluator.evaluate(network, inputs);
  const cost = pathCost(
    network.tensors.map((t) => t.legs),
    network.output,
    network.sizes,
    path,
  );
  return {
    result,
    report: {
      equation: formatEinsum(network, 'letters'),
      einsum: formatDeclaredEinsum(network, 'named'),
      path,
      flops: cost.flops,
    },
  };
}

export async function answerRunRequest(raw: unknown, evaluator: Evaluator): Promise<RunResponse> {
  const { op, request, network, addends, inputs } = prepareRequest(raw);
  const simplifyFirst = request.simplify !== false;
  const { result, report } = await evaluateTerm(network, inputs, evaluator, simplifyFirst);
  const data = Array.from(result.data);
  const reports: TermReport[] = [];
  for (const addend of addends) {
    const term = await evaluateTerm(addend, inputs, evaluator, simplifyFirst);
    term.result.data.forEach((value, j) => (data[j] += value));
    reports.push(term.report);
  }
  return {
    op: op.name,
    ...report,
    shape: result.shape,
    data,
    ...(reports.length ? { addends: reports } : {}),
  };
}
