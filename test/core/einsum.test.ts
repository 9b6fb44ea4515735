import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatEinsum,
  parseEinsum,
  parseEquation,
  EinsumParseError,
} from '../../src/core/einsum/index.ts';
import { getOperation } from '../../src/core/ops/index.ts';
import type { Network } from '../../src/core/network.ts';
import { loadFixtures } from '../helpers/fixtures.ts';

function shapes(net: Network): number[][] {
  return net.tensors.map((t) => t.legs.map((leg) => net.sizes[leg]));
}

/** Same structure up to a consistent renaming of indices. */
function expectIsomorphic(a: Network, b: Network): void {
  expect(b.tensors.length).toBe(a.tensors.length);
  const rename = new Map<string, string>();
  const check = (x: string, y: string) => {
    const known = rename.get(x);
    if (known === undefined) rename.set(x, y);
    else expect(y).toBe(known);
    expect(b.sizes[y]).toBe(a.sizes[x]);
  };
  a.tensors.forEach((t, p) => {
    expect(b.tensors[p].legs.length).toBe(t.legs.length);
    t.legs.forEach((leg, j) => check(leg, b.tensors[p].legs[j]));
  });
  expect(b.output.length).toBe(a.output.length);
  a.output.forEach((leg, j) => check(leg, b.output[j]));
  expect(new Set(rename.values()).size).toBe(rename.size);
}

const networks = loadFixtures().map((c) => {
  const shapesOf = Object.fromEntries(
    Object.entries(c.request.tensors).map(([k, v]) => [k, v.shape]),
  );
  return [c.id, getOperation(c.request.op).build({ ...c.request, shapes: shapesOf })] as const;
});

describe('einsum codec', () => {
  it.each(networks)('round-trips %s in both styles', (_id, net) => {
    const named = parseEinsum(formatEinsum(net, 'named'), shapes(net));
    expect(named.tensors.map((t) => t.legs)).toEqual(net.tensors.map((t) => t.legs));
    expect(named.output).toEqual(net.output);
    expectIsomorphic(net, parseEinsum(formatEinsum(net, 'letters'), shapes(net)));
  });

  it('formats the paper example in both styles', () => {
    const net = networks.find(([id]) => id.startsWith('conv_forward') && id.includes('036'))![1];
    expect(formatEinsum(net, 'named')).toBe(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
    );
    expect(formatEinsum(net, 'letters')).toBe('ngabc,deb,fhc,giadf->ngieh');
  });

  it('round-trips random equations', () => {
    const name = fc.oneof(
      fc.constantFrom('n', 'g', 'c_in', "k1'", 'o2', 'i3'),
      fc.stringMatching(/^[a-z_][a-z0-9_]{0,4}$/),
    );
    const equation = fc
      .array(fc.array(name, { maxLength: 4 }), { minLength: 1, maxLength: 6 })
      .chain((ops) => {
        const all = [...new Set(ops.flat())];
        return fc.record({
          ops: fc.constant(ops),
          out: fc.subarray(all),
          sizes: fc.array(fc.integer({ min: 1, max: 9 }), {
            minLength: all.length,
            maxLength: all.length,
          }),
          all: fc.constant(all),
        });
      });
    fc.assert(
      fc.property(equation, ({ ops, out, sizes, all }) => {
        const size = new Map(all.map((n, j) => [n, sizes[j]]));
        const shp = ops.map((legs) => legs.map((l) => size.get(l)!));
        const text = `${ops.map((legs) => legs.join(' ')).join(', ')} -> ${out.join(' ')}`;
        const net = parseEinsum(text, shp, { style: 'named' });
        expect(net.tensors.map((t) => t.legs)).toEqual(ops);
        expect(net.output).toEqual(out);
        const again = parseEinsum(formatEinsum(net, 'named'), shp, { style: 'named' });
        expect(again.tensors.map((t) => t.legs)).toEqual(ops);
        expectIsomorphic(net, parseEinsum(formatEinsum(net, 'letters'), shp));
      }),
      { numRuns: 300 },
    );
  });

  it('reads one multi-letter name per operand as named when told', () => {
    expect(parseEquation('ab, bc -> bc', 'named').operands).toEqual([['ab'], ['bc']]);
    expect(parseEquation('ab, bc -> ac').operands).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
  });

  it('uses numpy implicit output without an arrow', () => {
    expect(parseEquation('ij,jk').output).toEqual(['i', 'k']);
    expect(parseEquation('ba').output).toEqual(['a', 'b']);
  });

  it('accepts a scalar operand', () => {
    const net = parseEinsum('ij,->ij', [[2, 3], []]);
    expect(net.tensors[1].legs).toEqual([]);
  });

  const bad: [string, number, RegExp][] = [
    ['ij,jk->ii', 8, /appears twice in the output/],
    ['ij,jk->iz', 8, /'z' is on no operand/],
    ['ij,j#->ik', 4, /unexpected character '#'/],
    ['ij->i->j', 5, /more than one '->'/],
    ['ij,jk>ik', 5, /the arrow is '->'/],
    ['i...,j->ij', 1, /ellipsis/],
    ['n g, 1c -> n', 5, /index names start with a letter/],
    ['', 0, /empty equation/],
    ['ij,jk->i,k', 8, /has a ','/],
  ];
  it.each(bad)('rejects %j at position %i', (text, position, problem) => {
    try {
      parseEquation(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EinsumParseError);
      expect((err as EinsumParseError).position).toBe(position);
      expect((err as Error).message).toMatch(problem);
    }
  });

  it('checks shapes against the equation', () => {
    expect(() => parseEinsum('ij,jk->ik', [[2, 3]])).toThrow(/2 operands but 1 shapes/);
    expect(() =>
      parseEinsum('ij,jk->ik', [
        [2, 3],
        [4, 5],
      ]),
    ).toThrow(/index 'j' has size 3 in one place but 4 in operand 2/);
    expect(() => parseEinsum('ij,jk->ik', [[2, 3], [3]])).toThrow(
      /operand 2 has 2 indices but its shape \[3\] has 1 axes/,
    );
  });
});
