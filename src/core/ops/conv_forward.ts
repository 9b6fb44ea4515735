import { fail } from '../errors.ts';
import type { DeltaTensor, Network } from '../network.ts';
import { assemble, dataTensor, leg, range, shapeOf, sub } from './common.ts';
import { convolutionNetwork } from './convolution.ts';
import type { OpInput, Operation } from './operation.ts';

/**
 * The bias term of a convolution, b[g c_out]·1[n]·1[o₁]…: a bias is added, not multiplied,
 * so it is a second network whose value is added to the convolution's. Each 1[·] is a
 * one-legged Kronecker delta (the all-ones vector) that broadcasts b over the batch and
 * the output positions.
 */
function biasNetwork(input: OpInput, conv: Network): Network {
  const bShape = shapeOf(input, 'bias');
  const cOut = conv.resultShape[1];
  if (bShape.length !== 1 || bShape[0] !== cOut) {
    fail(
      `tensor 'bias' must have shape [${cOut}] (one entry per output channel), got [${bShape.join(', ')}]`,
    );
  }
  const groups = conv.sizes.g;
  const view = [groups, cOut / groups];
  const outputs = conv.output.filter((name) => name.startsWith('o'));
  const ones = (name: string, label: string): { tensor: DeltaTensor; shape: number[] } => ({
    tensor: { id: `ones_${name}`, label, kind: 'delta', legs: [name] },
    shape: [conv.sizes[name]],
  });
  return assemble(
    [
      { tensor: dataTensor('bias', 'b', 'bias', bShape, view, ['g', 'c_out']), shape: view },
      ones('n', '1ₙ'),
      ...range(outputs.length).map((d) => ones(leg.o(d), `1${sub(d + 1)}`)),
    ],
    [...conv.output],
    [...conv.resultShape],
  );
}

export const convForward: Operation = {
  name: 'conv_forward',
  inputs: ['x', 'weight'],
  optionalInputs: ['bias'],
  hyperParameters: ['stride', 'padding', 'dilation', 'groups'],
  summary: 'Convolution y = x ⋆ W (+ b) (PyTorch convNd, bias optional).',
  build: (input) => convolutionNetwork(input, 'x', 'x', 'weight', 'W'),
  addends: (input) =>
    input.shapes.bias
      ? [biasNetwork(input, convolutionNetwork(input, 'x', 'x', 'weight', 'W'))]
      : [],
};
