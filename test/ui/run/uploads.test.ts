import { describe, expect, it } from 'vitest';
import { parseJsonInputs, parseNpy } from '../../../src/ui/run/uploads.ts';

/** An .npy file as numpy writes it: magic, version, header length, padded header, data. */
function npy(header: string, data: ArrayBufferView, major = 1): ArrayBuffer {
  const lenBytes = major === 1 ? 2 : 4;
  const pre = 8 + lenBytes;
  let text = header;
  while ((pre + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(pre + head.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, pre);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pre + head.length);
  return out.buffer;
}

describe('parseNpy', () => {
  it('reads float32, float64 and int32 in format versions 1, 2 and 3', () => {
    const f4 = parseNpy(
      npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        new Float32Array([1, 2, 3, 4, 5, 6]),
      ),
    );
    expect(f4.shape).toEqual([2, 3]);
    expect([...f4.data]).toEqual([1, 2, 3, 4, 5, 6]);
    const f8 = parseNpy(
      npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
        new Float64Array([0.5, -1, 1e-300]),
        2,
      ),
    );
    expect(f8.data).toBeInstanceOf(Float64Array);
    expect([...f8.data]).toEqual([0.5, -1, 1e-300]);
    const i4 = parseNpy(
      npy('{"descr": "<i4", "fortran_order": False, "shape": (1, 2)}', new Int32Array([7, -8]), 3),
    );
    expect([...i4.data]).toEqual([7, -8]);
    const scalar = parseNpy(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new Float32Array([3])),
    );
    expect(scalar.shape).toEqual([]);
  });

  it('refuses what it does not read, saying why', () => {
    const f4 = new Float32Array(6);
    expect(() => parseNpy(new TextEncoder().encode('hello world!').buffer)).toThrow(
      /not a .npy file/,
    );
    expect(() =>
      parseNpy(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (6,), }", f4)),
    ).toThrow(/dtype ">f4" is not supported/);
    expect(() =>
      parseNpy(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (6,), }", f4)),
    ).toThrow(/not supported/);
    expect(() =>
      parseNpy(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f4)),
    ).toThrow(/Fortran order/);
    expect(() =>
      parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", f4)),
    ).toThrow(/has 24 data bytes; shape \(2, 4\) of <f4 needs 32/);
    expect(() =>
      parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", f4)),
    ).toThrow(/keys/);
    expect(() =>
      parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3}", f4)),
    ).toThrow(/.npy header/);
    expect(() =>
      parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f4, 4)),
    ).toThrow(/version 4/);
  });

  it('checks the size against the limits before allocating', () => {
    expect(() =>
      parseNpy(
        npy(
          "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }",
          new Float64Array(1),
        ),
      ),
    ).toThrow(/10000000000 entries.*the limit is/);
  });
});

describe('parseJsonInputs', () => {
  it('reads {name: {shape, data}} and refuses malformed entries', () => {
    const t = parseJsonInputs('{"x": {"shape": [1, 2], "data": [1, 2.5]}}');
    expect(t.x.shape).toEqual([1, 2]);
    expect([...t.x.data]).toEqual([1, 2.5]);
    expect(() => parseJsonInputs('{"x": ')).toThrow(/not valid JSON/);
    expect(() => parseJsonInputs('[1]')).toThrow(/must be an object/);
    expect(() => parseJsonInputs('{"x": {"shape": [2], "data": [1]}}')).toThrow(
      /has 1 values; shape \[2\] needs 2/,
    );
    expect(() => parseJsonInputs('{"x": {"shape": [2], "data": [1, "a"]}}')).toThrow(
      /non-number at position 1/,
    );
    expect(() => parseJsonInputs('{"x": {"shape": [1.5], "data": []}}')).toThrow(
      /non-negative integers/,
    );
  });
});
