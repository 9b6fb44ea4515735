import { product } from '../../src/core/network.ts';
import { requireInputShapes, type DiagramCell } from '../../src/core/notebook/index.ts';
import type { ExportSubject } from '../../src/core/export/index.ts';
import { subjectOfDiagram } from '../../src/core/export/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import type { Inputs } from '../../src/core/tensor.ts';
import { randomTensor } from '../helpers/random.ts';
import { smallPreset } from '../helpers/smallPresets.ts';

/** Diagrams whose networks carry every construct the exporters write, with random inputs. */

export const small = {
  batch: 2,
  inChannels: 4,
  outChannels: 6,
  input: [6, 5],
  kernel: [2, 2],
  stride: [1, 2],
  padding: [1, 0],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};
const dense = { ...small, input: [4, 6], kernel: [2, 3], stride: [2, 3], padding: [0, 0] };
const down = { ...small, input: [6, 8], kernel: [1, 1], stride: [2, 2], padding: [0, 0] };

/** Diagrams whose networks carry every construct the exporter writes. */
export const DERIVED: { id: string; cell: Pick<DiagramCell, 'source' | 'steps'> }[] = [
  {
    id: 'dense-simplified',
    cell: { source: smallPreset('conv_forward', dense), steps: [{ kind: 'simplify' }] },
  },
  {
    id: 'downsample-simplified',
    cell: { source: smallPreset('conv_forward', down), steps: [{ kind: 'simplify' }] },
  },
  {
    id: 'dropout',
    cell: {
      source: smallPreset('conv_weight_vjp', small),
      steps: [
        { kind: 'dropout', index: 'o1', keep: 0.5, seed: 3 },
        { kind: 'dropout', index: 'n', keep: 0.5, seed: 4 },
      ],
    },
  },
  {
    id: 'summed-pattern',
    cell: { source: smallPreset('kfac_reduce', small), steps: [{ kind: 'simplify' }] },
  },
  {
    id: 'jacobian-deltas',
    cell: {
      source: smallPreset('conv_forward', small),
      steps: [{ kind: 'derivative', source: 'weight' }],
    },
  },
  {
    id: 'product-rule',
    cell: { source: smallPreset('kfc', small), steps: [{ kind: 'derivative', source: 'x' }] },
  },
  {
    id: 'vjp-of-vjp',
    cell: {
      source: smallPreset('conv_forward', small),
      steps: [
        { kind: 'vjp', source: 'x' },
        { kind: 'vjp', source: 'weight' },
      ],
    },
  },
  {
    id: 'norms',
    cell: {
      source: smallPreset('conv_per_example_weight_vjp', small),
      steps: [{ kind: 'squared_norm', keep: ['n'] }],
    },
  },
  {
    id: 'transpose',
    cell: {
      source: smallPreset('conv_transpose_forward', {
        ...small,
        stride: [2, 2],
        outputPadding: [1, 0],
      }),
      steps: [],
    },
  },
  {
    id: 'einsum',
    cell: {
      source: {
        kind: 'einsum',
        equation: 'ab,bc,cd->ad',
        shapes: [
          [3, 4],
          [4, 5],
          [5, 2],
        ],
      },
      steps: [],
    },
  },
];

export interface DerivedCase {
  id: string;
  subject: ExportSubject;
  inputs: Inputs;
  /** The inputs as the scripts read them: {name: {shape, data}}. */
  json: Record<string, { shape: number[]; data: number[] }>;
}

export function derivedCases(): DerivedCase[] {
  return DERIVED.map(({ id, cell }, j) => {
    const subject = subjectOfDiagram(cell);
    const shapes = {};
    for (const t of subject.terms) Object.assign(shapes, requireInputShapes(t.network));
    const inputs: Inputs = Object.fromEntries(
      Object.entries(shapes as Record<string, number[]>).map(([name, shape], k) => [
        name,
        randomTensor(shape, 100 * j + k),
      ]),
    );
    const json = Object.fromEntries(
      Object.entries(inputs).map(([name, t]) => [name, { shape: t.shape, data: [...t.data] }]),
    );
    return { id, subject, inputs, json };
  });
}

/** Σ coefficient · term, each term by the float64 reference evaluator. */
export function referenceOf(
  subject: ExportSubject,
  inputs: Inputs,
): { shape: number[]; data: number[] } {
  const shape = subject.terms[0].network.resultShape;
  const data = new Array<number>(product(shape)).fill(0);
  for (const { coefficient, network } of subject.terms) {
    const value = evaluateReference(network, inputs);
    value.data.forEach((v, j) => (data[j] += coefficient * v));
  }
  return { shape: [...shape], data };
}
