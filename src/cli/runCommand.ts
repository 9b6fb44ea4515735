import { formatEinsum } from '../core/einsum/index.ts';
import { pathCost, sequentialPath, type LinearPath } from '../core/planner/cost.ts';
import { evaluateReference } from '../core/reference/evaluate.ts';
import { prepareRequest } from '../core/request.ts';
import type { Network } from '../core/network.ts';
import type { DenseTensor, Inputs } from '../core/tensor.ts';

/** How a request's network is evaluated: which contraction path, and the values. */
export interface Evaluator {
  name: string;
  evaluate(net: Network, inputs: Inputs): Promise<{ result: DenseTensor; path: LinearPath }>;
}

export const referenceEvaluator: Evaluator = {
  name: 'reference',
  async evaluate(net, inputs) {
    const path = sequentialPath(net.tensors.length);
    return { result: evaluateReference(net, inputs, path), path };
  },
};

export interface RunResponse {
  op: string;
  equation: string;
  shape: number[];
  data: number[];
  path: LinearPath;
  flops: number;
}

export async function answerRunRequest(raw: unknown, evaluator: Evaluator): Promise<RunResponse> {
  const { op, network, inputs } = prepareRequest(raw);
  const { result, path } = await evaluator.evaluate(network, inputs);
  const cost = pathCost(
    network.tensors.map((t) => t.legs),
    network.output,
    network.sizes,
    path,
  );
  return {
    op: op.name,
    equation: formatEinsum(network, 'letters'),
    shape: result.shape,
    data: Array.from(result.data),
    path,
    flops: cost.flops,
  };
}
