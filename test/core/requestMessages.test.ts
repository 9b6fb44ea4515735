import { describe, expect, it } from 'vitest';
import { EinsketchError } from '../../src/core/errors.ts';
import { answerPlanRequest } from '../../src/core/planner/planRequest.ts';
import { prepareRequest } from '../../src/core/runRequest.ts';

const x = { shape: [1, 1, 5], data: [1, 2, 3, 4, 5] };
const weight = { shape: [1, 1, 3], data: [1, 0, -1] };
const conv = { op: 'conv_forward', tensors: { x, weight } };

/** Each request is wrong in one field; the message names the field, what it must be and what it got. */
const cases: [unknown, string][] = [
  [
    { ...conv, stride: 1.5 },
    'stride must be a positive integer or one per spatial dimension, got 1.5',
  ],
  [
    { ...conv, stride: '2' },
    'stride must be a positive integer or one per spatial dimension, got "2"',
  ],
  [
    { ...conv, stride: [1, 0] },
    'stride must be a positive integer or one per spatial dimension, got [1,0]',
  ],
  [
    { ...conv, stride: [] },
    'stride must be a positive integer or one per spatial dimension, got []',
  ],
  [
    { ...conv, dilation: 0 },
    'dilation must be a positive integer or one per spatial dimension, got 0',
  ],
  [
    { ...conv, padding: 'full' },
    "padding must be a non-negative integer, one per spatial dimension, 'same' or 'valid', got \"full\"",
  ],
  [
    { ...conv, padding: -1 },
    "padding must be a non-negative integer, one per spatial dimension, 'same' or 'valid', got -1",
  ],
  [{ ...conv, groups: 0 }, 'groups must be a positive integer, got 0'],
  [{ ...conv, groups: [1] }, 'groups must be a positive integer, got [1]'],
  [
    { ...conv, kernel_size: null },
    'kernel_size must be a positive integer or one per spatial dimension, got null',
  ],
  [
    { ...conv, output_padding: 0.5 },
    'output_padding must be a non-negative integer or one per spatial dimension, got 0.5',
  ],
  [{ ...conv, simplify: 'yes' }, 'simplify must be true or false, got "yes"'],
  [{ ...conv, op: 7 }, "op must be the name of an operation (see 'einsketch ops'), got 7"],
  [
    { tensors: { x, weight } },
    "op is missing: it must be the name of an operation (see 'einsketch ops')",
  ],
  [{ op: 'conv_forward' }, 'tensors is missing: it must be an object {name: {shape, data}}'],
  [
    { op: 'conv_forward', tensors: [x] },
    'tensors must be an object {name: {shape, data}}, got [{"shape":[1,1,5],"data":[1,2,3,4,5]}]',
  ],
  [
    { op: 'conv_forward', tensors: { x: 5, weight } },
    'tensors.x must be an object {shape, data}, got 5',
  ],
  [
    { op: 'conv_forward', tensors: { x: { ...x, shape: [1, 0, 5] }, weight } },
    'tensors.x.shape must be a list of positive integers, got [1,0,5]',
  ],
  [
    { op: 'conv_forward', tensors: { x: { shape: [2] }, weight } },
    'tensors.x.data is missing: it must be a flat list of numbers in row-major order',
  ],
  [
    { op: 'conv_forward', tensors: { x: { ...x, data: [1, 'a'] }, weight } },
    'tensors.x.data must be a flat list of numbers in row-major order, got [1,"a"]',
  ],
  [{ ...conv, strides: 2 }, "unknown field(s) 'strides' in the request"],
];

describe('request validation messages', () => {
  it.each(cases)('%j', (request, expected) => {
    let text = '';
    try {
      prepareRequest(request);
    } catch (err) {
      expect(err).toBeInstanceOf(EinsketchError);
      text = (err as Error).message;
    }
    expect(text).toBe(`invalid request: ${expected}`);
  });

  it('keeps an op or tensor name with a line break on one line', () => {
    expect(() => prepareRequest({ ...conv, op: 'conv\nforward' })).toThrow(
      /^unknown op 'convU\+000Aforward' \(known: /,
    );
    expect(() => prepareRequest({ ...conv, tensors: { x, weight, 'b\nias': x } })).toThrow(
      /got unexpected tensor 'bU\+000Aias'$/,
    );
  });

  it('shortens a long value it quotes', () => {
    expect(() => prepareRequest({ ...conv, stride: new Array(100).fill(0) })).toThrow(
      /got \[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\.\.\.$/,
    );
  });
});

describe('plan request validation messages', () => {
  it.each([
    [{ equation: 5, shapes: [] }, "equation must be an einsum string such as 'ij,jk->ik', got 5"],
    [
      { equation: 'ij->i', shapes: [[1.5, 2]] },
      'shapes.0 must be a list of positive integers, got [1.5,2]',
    ],
    [
      { equation: 'ij->i', shapes: 'x' },
      'shapes must be a list with one shape (a list of positive integers) per operand, got "x"',
    ],
  ])('%j', (request, expected) => {
    expect(() => answerPlanRequest(request)).toThrow(
      new EinsketchError(`invalid plan request: ${expected}`),
    );
  });
});
