import { fail } from '../errors.ts';
import { perDimension } from '../hyper.ts';
import { product } from '../network.ts';
import {
  assemble,
  convPatterns,
  dataTensor,
  geometry,
  leg,
  patternParts,
  patternTensors,
  range,
  shapeOf,
} from './common.ts';
import type { OpInput, Operation } from './operation.ts';

/**
 * Spatial dimensions of fold: as many as kernel_size or input_size list; two when both
 * are single integers, as PyTorch's nn.Fold (which is 2-d only) reads them.
 */
export function foldDims(input: OpInput): number {
  const lengths = [input.kernel_size, input.input_size]
    .filter(Array.isArray)
    .map((v) => (v as number[]).length);
  if (lengths.length === 2 && lengths[0] !== lengths[1] && lengths[0] > 1 && lengths[1] > 1) {
    fail(`kernel_size has ${lengths[0]} entries but input_size has ${lengths[1]}`);
  }
  return lengths.length ? Math.max(...lengths) : 2;
}

/**
 * col2im, the adjoint of unfold: x[n c k… o…] Π…[k o i] → [n c i…]. Overlapping windows
 * add up where they cover the same input position; entries that fall into the padding
 * have no Π entry and vanish.
 */
export const fold: Operation = {
  name: 'fold',
  inputs: ['x'],
  hyperParameters: ['kernel_size', 'input_size', 'stride', 'padding', 'dilation'],
  summary:
    'col2im (PyTorch nn.Fold generalised to N-d), the adjoint of unfold: [N, C·∏K, ∏O] → [N, C, *I].',
  build(input) {
    const xShape = shapeOf(input, 'x');
    if (xShape.length !== 3)
      fail(`tensor 'x' must be [N, C·∏K, ∏O], got shape [${xShape.join(', ')}]`);
    if (input.kernel_size === undefined) fail('kernel_size is required for fold');
    if (input.input_size === undefined)
      fail('input_size (the size of the folded result) is required for fold');
    const dims = foldDims(input);
    const kernel = perDimension(input.kernel_size, dims, 'kernel_size', 1);
    const inputSize = perDimension(input.input_size, dims, 'input_size', 1);
    const patterns = patternTensors(convPatterns(inputSize, geometry(input, dims, kernel)));
    const outputSize = patterns.map((p) => p.pattern.outputSize);
    const [batch, rows, columns] = xShape;
    if (rows % product(kernel) !== 0) {
      fail(
        `tensor 'x' has ${rows} rows, not a multiple of the kernel's ${product(kernel)} entries`,
      );
    }
    if (columns !== product(outputSize)) {
      fail(
        `tensor 'x' has ${columns} columns but the windows give ${product(outputSize)} (${outputSize.join('×')})`,
      );
    }
    const channels = rows / product(kernel);
    const view = [batch, channels, ...kernel, ...outputSize];
    const d = range(dims);
    return assemble(
      [
        {
          tensor: dataTensor('x', 'x', 'x', xShape, view, [
            'n',
            'c',
            ...d.map((k) => leg.k(k)),
            ...d.map((k) => leg.o(k)),
          ]),
          shape: view,
        },
        ...patternParts(patterns),
      ],
      ['n', 'c', ...d.map((k) => leg.i(k))],
      [batch, channels, ...inputSize],
    );
  },
};
