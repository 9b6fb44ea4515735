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

  it('loads the issue’s einsum with Π declared, taking the pattern legs’ sizes from it', () => {
    const text =
      'n c i1 i2, k1 o1 i1, k2 o2 i2, m c k1 k2, d m -> n d o1 o2 ; x, p1=Pi(I=32,K=3,S=2,P=1,D=1), p2=Pi(I=32,K=3,S=2,P=1,D=1), w, v';
    const net = einsumNetwork(text, 'n=8 c=16 m=32 d=64');
    expect(net.tensors.map((t) => t.kind)).toEqual([
      'data',
      'index_pattern',
      'index_pattern',
      'data',
      'data',
    ]);
    expect(net.resultShape).toEqual([8, 64, 16, 16]);
    expect(() => einsumNetwork(text, 'n=8 c=16 m=32 d=64 i1=30')).toThrow(
      /size 30 but the pattern's is 32/,
    );
  });

  it('builds networks from either style', () => {
    expect(einsumNetwork('ab,bc->ac', '2x3; 3x4').tensors).toHaveLength(2);
    expect(
      einsumNetwork('n c_in, c_in c_out -> n c_out', 'n=8 c_in=3 c_out=5').resultShape,
    ).toEqual([8, 5]);
    expect(() => einsumNetwork('ab,bc->ac', '2x3; 4x4')).toThrow(/size 3 in one place but 4/);
  });
});
