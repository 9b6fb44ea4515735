import { describe, expect, it } from 'vitest';
import { einsumNetwork, parseShapes } from '../../src/ui/editor/model/einsumInput.ts';

describe('einsum loader', () => {
  const ops = [
    ['a', 'b'],
    ['b', 'c'],
  ];
  it('reads shapes in three forms', () => {
    expect(parseShapes('2x3; 3x4', ops)).toEqual([
      [2, 3],
      [3, 4],
    ]);
    expect(parseShapes('[[2,3],[3,4]]', ops)).toEqual([
      [2, 3],
      [3, 4],
    ]);
    expect(parseShapes('a=2 b=3 c=4', ops)).toEqual([
      [2, 3],
      [3, 4],
    ]);
  });

  it('names what is missing or malformed', () => {
    expect(() => parseShapes('a=2 b=3', ops)).toThrow(/'c' has no size/);
    expect(() => parseShapes('2xq', ops)).toThrow(/cannot read size 'q'/);
    expect(() => parseShapes('', ops)).toThrow(/give the operand shapes/);
  });

  it('builds networks from either style', () => {
    expect(einsumNetwork('ab,bc->ac', '2x3; 3x4').tensors).toHaveLength(2);
    expect(
      einsumNetwork('n c_in, c_in c_out -> n c_out', 'n=8 c_in=3 c_out=5').resultShape,
    ).toEqual([8, 5]);
    expect(() => einsumNetwork('ab,bc->ac', '2x3; 4x4')).toThrow(/size 3 in one place but 4/);
  });
});
