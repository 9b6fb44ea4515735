import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { buildLayerNetwork } from '../../../src/core/layer.ts';
import { checkNetwork } from '../../../src/core/network.ts';
import {
  addLeg,
  addTensor,
  connect,
  convertToPattern,
  disconnect,
  relabelTensor,
  removeLeg,
  removeTensor,
  renameIndex,
  renameLeg,
  resizeIndex,
  setPattern,
  toggleOpen,
} from '../../../src/core/diagram/networkEdits.ts';
import { einsumNetwork } from '../../../src/ui/editor/model/einsumInput.ts';
import { DEFAULT_LAYER } from '../../../src/core/diagram/presets.ts';

const mm = () => einsumNetwork('a b, b c -> a c', 'a=2 b=3 c=4');

describe('hand edits', () => {
  it('adds tensors of every kind with fresh names', () => {
    let net = mm();
    for (const kind of ['data', 'delta', 'scalar', 'index_pattern'] as const) {
      const r = addTensor(net, kind);
      net = r.network;
      expect(net.tensors.some((t) => t.id === r.id && t.kind === kind)).toBe(true);
      checkNetwork(net);
    }
    expect(new Set(net.tensors.map((t) => t.id)).size).toBe(net.tensors.length);
  });

  it('connects two legs into one index, and cuts them apart again', () => {
    let net = addTensor(mm(), 'data').network; // T3 with legs d, e of size 2
    net = connect(
      net,
      { kind: 'tensor', tensorId: 'T3', axis: 0 },
      { kind: 'tensor', tensorId: 'T1', axis: 0 },
    );
    expect(formatEinsum(net)).toBe('a b, b c, a e -> a c');
    const four = addTensor(net, 'data').network;
    expect(
      formatEinsum(
        connect(four, { kind: 'tensor', tensorId: 'T4', axis: 1 }, { kind: 'hub', index: 'a' }),
      ),
    ).toBe('a b, b c, a e, d a -> a c');
    net = disconnect(net, { kind: 'tensor', tensorId: 'T3', axis: 0 });
    expect(net.tensors[2].legs[0]).not.toBe('a');
  });

  it('refuses to join legs of different sizes', () => {
    expect(() =>
      connect(
        mm(),
        { kind: 'tensor', tensorId: 'T1', axis: 0 },
        { kind: 'tensor', tensorId: 'T2', axis: 1 },
      ),
    ).toThrow(/size 2.*size 4/);
    const same = einsumNetwork('a b, b c -> a c', 'a=2 b=2 c=2');
    expect(() =>
      connect(same, { kind: 'tensor', tensorId: 'T1', axis: 0 }, { kind: 'output', position: 1 }),
    ).toThrow(/already an open leg/);
    const moved = connect(
      same,
      { kind: 'tensor', tensorId: 'T1', axis: 1 },
      { kind: 'output', position: 1 },
    );
    expect(moved.output).toEqual(['a', 'b']);
  });

  it('makes a leg open by connecting it to the output', () => {
    const net = connect(mm(), { kind: 'tensor', tensorId: 'T1', axis: 1 }, { kind: 'output-new' });
    expect(net.output).toEqual(['a', 'c', 'b']);
    expect(net.resultShape).toEqual([2, 4, 3]);
    expect(toggleOpen(net, 'b').output).toEqual(['a', 'c']);
  });

  it('renames a data tensor together with the input it reads and its copies', () => {
    const renamed = relabelTensor(mm(), 'T1', 'A');
    const a = renamed.tensors.find((t) => t.id === 'T1')!;
    expect(a.label).toBe('A');
    expect(a.kind === 'data' && a.source).toBe('A');
    expect(() => relabelTensor(mm(), 'T1', 'T2')).toThrow(/already read by T2/);
    const kfc = buildLayerNetwork('kfc', DEFAULT_LAYER);
    const copies = relabelTensor(kfc, 'x', 'z').tensors.filter((t) => t.kind === 'data');
    expect(copies.map((t) => [t.label, t.kind === 'data' && t.source])).toEqual([
      ['z', 'z'],
      ['z′', 'z'],
    ]);
  });

  it('converts a data tensor shaped [K, O, I] into the index pattern that fits it', () => {
    const loaded = einsumNetwork('a i, k o i -> a k o', 'a=2 i=8 k=3 o=4');
    const net = convertToPattern(loaded, 'T2');
    const pi = net.tensors[1];
    expect(pi.kind).toBe('index_pattern');
    if (pi.kind === 'index_pattern')
      expect(pi.pattern).toMatchObject({ inputSize: 8, kernelSize: 3, stride: 2, outputSize: 4 });
    expect(() => convertToPattern(loaded, 'T1')).toThrow(/Π has three: k, o, i/);
    expect(() => convertToPattern(einsumNetwork('k o i -> k o i', 'k=1 o=5 i=2'), 'T1')).toThrow(
      /no stride, padding and dilation give 5 outputs/,
    );
  });

  it('renames and resizes indices consistently', () => {
    expect(formatEinsum(renameIndex(mm(), 'b', 'k'))).toBe('a k, k c -> a c');
    expect(renameLeg(mm(), 'T2', 0, 'z').sizes.z).toBe(3);
    expect(resizeIndex(mm(), 'b', 7).sizes.b).toBe(7);
    expect(() => resizeIndex(mm(), 'b', 0)).toThrow(/positive integer/);
    expect(() => renameLeg(mm(), 'T1', 0, '1bad')).toThrow(/not an index name/);
  });

  it('keeps index patterns consistent with their legs', () => {
    const conv = buildLayerNetwork('conv_forward', DEFAULT_LAYER);
    expect(() => resizeIndex(conv, 'k1', 5)).toThrow(/index pattern/);
    expect(() => removeLeg(conv, 'Pi1', 0)).toThrow(/fixed/);
    const wider = setPattern(conv, 'Pi1', {
      inputSize: 32,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      dilation: 1,
    });
    expect(wider.sizes.o1).toBe(16);
    // x and W of a preset are reshaped views of their inputs; resizing makes them plain inputs.
    const narrower = resizeIndex(conv, 'c_in', 4);
    expect(narrower.tensors.find((t) => t.id === 'x')).toMatchObject({ transforms: [] });
  });

  it('removing a tensor drops open legs nobody carries', () => {
    const net = removeTensor(mm(), 'T2');
    expect(net.output).toEqual(['a']);
    expect(net.sizes.c).toBeUndefined();
  });

  it('adds and removes legs of data tensors', () => {
    const net = addLeg(mm(), 'T1');
    expect(net.tensors[0].legs).toHaveLength(3);
    expect(removeLeg(net, 'T1', 2).tensors[0].legs).toEqual(['a', 'b']);
  });
});
