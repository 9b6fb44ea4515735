import { describe, expect, it } from 'vitest';
import {
  EinsumParseError,
  formatDeclaredEinsum,
  parseEinsum,
  parseEquation,
} from '../../../src/core/einsum/index.ts';
import { buildSource } from '../../../src/core/notebook/index.ts';
import type { Network } from '../../../src/core/network.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { evaluateReference } from '../../../src/core/reference/evaluateReference.ts';
import { buildDiagram } from '../../../src/core/notebook/derive.ts';
import { decodeShare, encodeDiagramShare } from '../../../src/core/share/index.ts';
import { DERIVED } from '../../export/derived.ts';
import { randomTensor } from '../../helpers/random.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';

const shapesOf = (net: Network) => net.tensors.map((t) => t.legs.map((l) => net.sizes[l]));

/** Every network the presets and derived diagrams give, simplified too. */
function networks(): { id: string; net: Network }[] {
  const out: { id: string; net: Network }[] = [];
  for (const source of SMALL_PRESETS) {
    const net = buildSource(source);
    out.push({ id: source.kind === 'preset' ? source.op : 'einsum', net });
    out.push({
      id: `${source.kind === 'preset' ? source.op : ''} simplified`,
      net: simplify(net).network,
    });
  }
  for (const { id, cell } of DERIVED) {
    const built = buildDiagram(cell);
    if (!built.ok) throw new Error(built.error);
    built.sum.terms.forEach((t, j) => out.push({ id: `${id} term ${j}`, net: t.network }));
  }
  return out;
}

/** The same tensors (kind, label, input, pattern) on the same legs. */
function expectSameNetwork(a: Network, b: Network): void {
  expect(b.output).toEqual(a.output);
  expect(b.sizes).toEqual(Object.fromEntries(Object.keys(b.sizes).map((k) => [k, a.sizes[k]])));
  expect(b.tensors.length).toBe(a.tensors.length);
  a.tensors.forEach((t, j) => {
    const u = b.tensors[j];
    expect(u.kind).toBe(t.kind);
    expect(u.label).toBe(t.label);
    expect(u.legs).toEqual(t.legs);
    if (t.kind === 'data' && u.kind === 'data') expect(u.source).toBe(t.source);
    if (t.kind === 'scalar' && u.kind === 'scalar') expect(u.value).toBeCloseTo(t.value, 12);
    if (t.kind === 'index_pattern' && u.kind === 'index_pattern') {
      expect(u.pattern).toEqual(t.pattern);
      expect(u.roles).toEqual(t.roles);
      expect(u.keep).toEqual(t.keep);
    }
  });
}

describe('einsum declarations', () => {
  it('round-trips every preset and derived network through format → parse, both styles', () => {
    const all = networks();
    expect(all.length).toBeGreaterThan(30);
    const kinds = new Set(all.flatMap(({ net }) => net.tensors.map((t) => t.kind)));
    expect([...kinds].sort()).toEqual(['data', 'delta', 'index_pattern', 'scalar']);
    for (const { id, net } of all) {
      for (const style of ['named', 'letters'] as const) {
        const text = formatDeclaredEinsum(net, style);
        const back = parseEinsum(text, shapesOf(net), { style });
        expect(formatDeclaredEinsum(back, style), `${id} (${style})`).toBe(text);
        if (style === 'named') expectSameNetwork(net, back);
      }
    }
  });

  it('writes patterns with their hyper-parameters and thinned, summed or padded forms', () => {
    const conv = buildSource(SMALL_PRESETS[0]);
    expect(formatDeclaredEinsum(conv)).toBe(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2 ; ' +
        'x, Π₁=Pi(I=8,K=3,S=1,P=1,D=1), Π₂=Pi(I=8,K=3,S=1,P=1,D=1), W:weight',
    );
    const text =
      'k i, k o i, a, a b -> o b ; P=Pi(I=7,K=2,S=3,P=0/1,D=2,roles=ki), Q=Pi(I=7,K=2,P=1,keep_o=0 3 5), d=δ, e=delta';
    const net = parseEinsum(text, [[2, 7], [2, 3, 7], [4], [4, 4]]);
    expect(net.tensors.map((t) => t.kind)).toEqual([
      'index_pattern',
      'index_pattern',
      'delta',
      'delta',
    ]);
    expect(formatDeclaredEinsum(net)).toBe(
      'k i, k o i, a, a b -> o b ; P=Pi(I=7,K=2,S=3,P=0/1,D=2,roles=ki), Q=Pi(I=7,K=2,S=1,P=1,D=1,keep_o=0 3 5), d=δ, e=δ',
    );
    const scaled = parseEinsum('a b, , -> a b ; x, s=1/8, 7/4', [[2, 3], [], []]);
    expect(scaled.tensors[1]).toMatchObject({ kind: 'scalar', value: 0.125, label: 's' });
    expect(scaled.tensors[2]).toMatchObject({ kind: 'scalar', value: 1.75, label: '7/4' });
    expect(formatDeclaredEinsum(scaled)).toBe('a b, ,  -> a b ; x, s=1/8, 7/4');
  });

  it('names the position and the problem in a bad declaration', () => {
    const bad: [string, RegExp][] = [
      ['a b, b c -> a c ; x', /2 operands/],
      ['a b, b c -> a c ; x, y=Pi(I=4)', /needs K/],
      ['a b, b c -> a c ; x, y=Pi(I=4,K=2,Q=1)', /unknown key 'Q'/],
      ['a b, b c -> a c ; x, y=Pi(I=4,K=2', /missing '\)'/],
      ['a b, b c -> a c ; x, y=Pi(I=4,K=9)', /kernel larger/],
      ['a b, b c -> a c ; x, 1y', /not a tensor name/],
      ['a b, b c -> a c ; x, y=foo', /not Pi\(…\), delta/],
      ['a b, b c -> a c ; x, y=2', /constant but has indices/],
      ['a b, b c -> a c ; x, y=Pi(I=4,K=2,roles=kk)', /roles are k, o, i/],
      ['; x', /empty equation/],
    ];
    for (const [text, problem] of bad) {
      let caught: unknown;
      try {
        parseEquation(text);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toBeInstanceOf(EinsumParseError);
      expect((caught as Error).message, text).toMatch(problem);
      expect((caught as EinsumParseError).position).toBeLessThanOrEqual(text.length);
    }
    expect(() =>
      parseEinsum('a b, a b c -> c ; x, y=Pi(I=4,K=2)', [
        [2, 3],
        [2, 3, 5],
      ]),
    ).toThrow(/i leg 'c' has size 5 but the pattern's is 4/);
  });

  it('evaluates the issue’s convolution with a channel mix, Π declared, as the preset does', () => {
    const decl = 'Pi(I=9,K=3,S=2,P=1,D=1)';
    const text = `n c i1 i2, k1 o1 i1, k2 o2 i2, m c k1 k2, d m -> n d o1 o2 ; x, p1=${decl}, p2=${decl}, w, v`;
    const net = parseEinsum(text, [
      [2, 3, 9, 9],
      [3, 5, 9],
      [3, 5, 9],
      [4, 3, 3, 3],
      [2, 4],
    ]);
    const inputs = {
      x: randomTensor([2, 3, 9, 9], 1),
      w: randomTensor([4, 3, 3, 3], 2),
      v: randomTensor([2, 4], 3),
    };
    const got = evaluateReference(net, inputs);
    // The same value with Π as explicit 0/1 data: i = k + 2o − 1 inside the input.
    const pi = { shape: [3, 5, 9], data: new Float64Array(135) };
    for (let k = 0; k < 3; k++)
      for (let o = 0; o < 5; o++) {
        const i = k + 2 * o - 1;
        if (i >= 0 && i < 9) pi.data[k * 45 + o * 9 + i] = 1;
      }
    const dense = parseEinsum(text.split(';')[0], shapesOf(net));
    const want = evaluateReference(dense, {
      T1: inputs.x,
      T2: pi,
      T3: pi,
      T4: inputs.w,
      T5: inputs.v,
    });
    expect(got.shape).toEqual([2, 2, 5, 5]);
    got.data.forEach((v, j) => expect(v).toBeCloseTo(want.data[j], 10));
  });

  it('travels in a share link and opens as the same network', () => {
    const net = simplify(buildSource(SMALL_PRESETS[0])).network;
    const equation = formatDeclaredEinsum(net);
    const payload = encodeDiagramShare({
      kind: 'diagram',
      id: 'd1',
      source: { kind: 'einsum', equation, shapes: shapesOf(net) },
      steps: [],
      view: { style: 'named', layout: 'auto', showSizes: true, showFormula: true, showSteps: true },
    });
    const opened = decodeShare(payload);
    if (!opened.ok) throw new Error(opened.error);
    const cell = opened.doc.cells[0];
    if (cell.kind !== 'diagram') throw new Error('not a diagram');
    expectSameNetwork(net, buildSource(cell.source));
  });
});
