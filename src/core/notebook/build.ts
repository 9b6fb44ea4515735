import { parseEinsum } from '../einsum/index.ts';
import { fail } from '../errors.ts';
import { layerOpInput } from '../layer.ts';
import { checkNetworkLimits } from '../limits.ts';
import { checkNetwork, cloneNetwork, tensorShape, type Network } from '../network.ts';
import { getOperation, type OpInput, type OpName } from '../ops/index.ts';
import type { DiagramSource } from './schema.ts';

export interface BuildOptions {
  /**
   * Refuse a network over the size limits (default). The editor draws one anyway and says
   * before a run that it cannot be run, so the user sees what they typed.
   */
  checkLimits?: boolean;
}

/** The tensor network a diagram cell starts from, built with the core. */
export function buildSource(source: DiagramSource, options: BuildOptions = {}): Network {
  let net: Network;
  switch (source.kind) {
    case 'preset': {
      const input = layerOpInput(source.op, source.layer);
      net = getOperation(source.op).build(input);
      // Record the inputs' shapes as the user gives them (before the group view).
      for (const t of net.tensors) {
        if (t.kind === 'data' && input.shapes[t.source])
          t.sourceShape = [...input.shapes[t.source]];
      }
      break;
    }
    case 'einsum':
      net = parseEinsum(source.equation, source.shapes, { names: source.names });
      break;
    case 'network':
      net = cloneNetwork(source.network as Network);
      checkNetwork(net);
      break;
  }
  if (options.checkLimits !== false) checkNetworkLimits(net);
  return net;
}

/** The operation and its input when the source is a preset. */
export function sourceOperation(source: DiagramSource): { op: OpName; input: OpInput } | null {
  return source.kind === 'preset'
    ? { op: source.op, input: layerOpInput(source.op, source.layer) }
    : null;
}

/**
 * The shape of every input of the network as the user gives it: an operation's input
 * shapes, an einsum's operand shapes, or what a drawn network records. An input whose
 * shape cannot be told (a slice recorded without the shape before it) is left out.
 */
export function inputShapes(net: Network): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const t of net.tensors) {
    if (t.kind !== 'data' || shapes[t.source]) continue;
    if (t.sourceShape) shapes[t.source] = [...t.sourceShape];
    else if (t.transforms.length === 0) shapes[t.source] = tensorShape(net, t);
    else if (t.transforms[0].kind === 'reshape') {
      // Any shape with as many entries works for a reshape; take the view's.
      shapes[t.source] = [...t.transforms[0].shape];
    }
  }
  return shapes;
}

/** Input names of a network, in order of first use. */
export function inputNames(net: Network): string[] {
  const names: string[] = [];
  for (const t of net.tensors)
    if (t.kind === 'data' && !names.includes(t.source)) names.push(t.source);
  return names;
}

export function requireInputShapes(net: Network): Record<string, number[]> {
  const shapes = inputShapes(net);
  const missing = inputNames(net).filter((n) => !shapes[n]);
  if (missing.length)
    fail(`the shape of input(s) ${missing.join(', ')} is not recorded in the network`);
  return shapes;
}
