import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { formulaTex, indexTex, labelTex } from '../../src/ui/editor/model/latex.ts';
import { DEFAULT_LAYER } from '../../src/ui/editor/model/presets.ts';

describe('formula', () => {
  it('typesets indices and tensor names as the paper does', () => {
    expect(indexTex('c_in')).toBe('c_{in}');
    expect(indexTex('i1')).toBe('i_{1}');
    expect(indexTex("k1'")).toBe("k'_{1}");
    expect(indexTex('ĩ1')).toBe('\\tilde{i}_{1}');
    expect(indexTex('n')).toBe('n');
    expect(labelTex('Π₁')).toBe('\\Pi^{(1)}');
    expect(labelTex('Π₂′')).toBe("\\Pi'^{(2)}");
    expect(labelTex('δ')).toBe('\\delta');
    expect(labelTex('x′')).toBe("x'");
  });

  it('writes the convolution with its sum over the summed indices', () => {
    expect(
      formulaTex([{ coefficient: 1, network: buildLayerNetwork('conv_forward', DEFAULT_LAYER) }]),
    ).toBe(
      'Y_{n,g,c_{out},o_{1},o_{2}} = \\sum_{c_{in},i_{1},i_{2},k_{1},k_{2}} x_{n,g,c_{in},i_{1},i_{2}} \\Pi^{(1)}_{k_{1},o_{1},i_{1}} \\Pi^{(2)}_{k_{2},o_{2},i_{2}} W_{g,c_{out},c_{in},k_{1},k_{2}}',
    );
  });

  it('writes sums of terms and scalar factors', () => {
    const kfc = buildLayerNetwork('kfc', DEFAULT_LAYER);
    const tex = formulaTex([
      { coefficient: 1, network: kfc },
      { coefficient: -0.5, network: kfc },
    ]);
    expect(tex).toContain('\\frac{1}{8}');
    expect(tex).toMatch(/ - \\frac\{1\}\{2\}\\,\\Big\(/);
  });

  it('never emits characters outside a safe set from user-chosen names', () => {
    expect(indexTex('a\\href')).not.toContain('\\href');
    expect(labelTex('{x}')).toBe('x');
  });
});
