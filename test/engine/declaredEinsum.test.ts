import { beforeAll, describe, expect, it } from 'vitest';
import { parseEinsum } from '../../src/core/einsum/index.ts';
import { simplify } from '../../src/core/rewrite/index.ts';
import { evaluateReference } from '../../src/core/reference/evaluateReference.ts';
import { compileNetwork, evaluateNetwork } from '../../src/engine/evaluate.ts';
import { selectNodeBackend } from '../../src/engine/node.ts';
import { randomTensor } from '../helpers/random.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

const PI = 'Pi(I=12,K=3,S=2,P=1,D=1)';
/** The sample: a convolution followed by a channel mix, Π declared. */
const SAMPLE = `n c i1 i2, k1 o1 i1, k2 o2 i2, m c k1 k2, d m -> n d o1 o2 ; x, p1=${PI}, p2=${PI}, w, v`;
const SHAPES = [
  [2, 4, 12, 12],
  [3, 6, 12],
  [3, 6, 12],
  [5, 4, 3, 3],
  [3, 5],
];

describe('an einsum with declared index patterns', () => {
  it('simplifies and runs with Π as gathers (index tables, no dense 0/1 Π), matching float64', async () => {
    const net = simplify(parseEinsum(SAMPLE, SHAPES)).network;
    expect(net.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(2);
    const shapes = { x: SHAPES[0], w: SHAPES[3], v: SHAPES[4] };
    const { program } = compileNetwork(net, shapes);
    expect(program.instrs.some((i) => i.op === 'gather')).toBe(true);
    expect(program.constants.every((c) => c.dtype === 'int32')).toBe(true);
    const inputs = {
      x: randomTensor(shapes.x, 1),
      w: randomTensor(shapes.w, 2),
      v: randomTensor(shapes.v, 3),
    };
    const got = await evaluateNetwork(net, inputs);
    const want = evaluateReference(net, inputs);
    expect(got.result.shape).toEqual([2, 3, 6, 6]);
    let err = 0;
    got.result.data.forEach(
      (x: number, j: number) => (err = Math.max(err, Math.abs(x - want.data[j]))),
    );
    expect(err).toBeLessThan(1e-4);
  });

  it('without the declarations Π is dense data, which the engine cannot gather', () => {
    const dense = parseEinsum(SAMPLE.split(';')[0], SHAPES);
    const shapes = Object.fromEntries(dense.tensors.map((t, j) => [t.label, SHAPES[j]]));
    const { program } = compileNetwork(dense, shapes);
    expect(program.instrs.some((i) => i.op === 'gather')).toBe(false);
  });
});
