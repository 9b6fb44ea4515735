import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../src/core/einsum/index.ts';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { derive } from '../../src/ui/editor/model/replayDoc.ts';
import { defaultDoc } from '../../src/ui/editor/model/doc.ts';
import { sketch } from '../helpers/sketches.ts';
import type { DiagramSource, Step } from '../../src/core/notebook/index.ts';
import { presetSource, DEFAULT_LAYER, getPreset, PRESETS } from '../../src/core/diagram/presets.ts';

const doc = (over: { source?: DiagramSource; actions?: Step[] } = {}) =>
  sketch(over.source ?? presetSource('conv_forward'), over.actions);

describe('deriving a document', () => {
  it('opens on the 2-d convolution', () => {
    expect(formatEinsum(derive(defaultDoc()).network)).toBe(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
    );
  });

  it('builds every preset', () => {
    for (const p of PRESETS)
      expect(derive(doc({ source: presetSource(p.id) })).network.tensors.length).toBeGreaterThan(1);
  });

  it("the VJP w.r.t. W is the library's weight VJP", () => {
    const d = derive(doc({ actions: [{ kind: 'vjp', source: 'weight', term: 0 }] }));
    expect(formatEinsum(d.network, 'letters')).toBe(
      formatEinsum(buildLayerNetwork('conv_weight_vjp', DEFAULT_LAYER), 'letters'),
    );
    expect(d.expression?.terms).toHaveLength(1);
  });

  it('a tensor that occurs twice gives one term per occurrence', () => {
    const d = derive(
      doc({
        source: presetSource('kfc'),
        actions: [{ kind: 'derivative', source: 'x', term: 1 }],
      }),
    );
    expect(d.expression?.terms).toHaveLength(2);
    expect(d.expression?.term).toBe(1);
    expect(d.formula).toHaveLength(2);
    expect(d.network).toEqual(d.expression?.terms[1].network);
  });

  it('simplifying the dense preset removes every Π, and the log can be stepped back', () => {
    const source = presetSource('dense_patchify');
    const end = derive(doc({ source, actions: [{ kind: 'simplify' }] }));
    expect(end.network.tensors.some((t) => t.kind === 'index_pattern')).toBe(false);
    expect(end.simplify?.steps[0].step.rule).toBe('dense_pattern');
    expect(end.simplify?.at).toBe(end.simplify?.steps.length);
    const one = derive(doc({ source, actions: [{ kind: 'simplify', steps: 1 }] }));
    expect(one.network.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(1);
    expect(one.highlight.tensors.length).toBeGreaterThan(0);
    const none = derive(doc({ source, actions: [{ kind: 'simplify', steps: 0 }] }));
    expect(none.network).toBe(none.simplify?.base);
  });

  it('respects disabled rules', () => {
    const d = derive(
      doc({
        source: presetSource('dense_patchify'),
        actions: [{ kind: 'simplify', disabled: ['dense_pattern'] }],
      }),
    );
    expect(d.simplify?.steps.some((s) => s.step.rule === 'dense_pattern')).toBe(false);
  });

  it('re-derives actions after a hyper-parameter edit', () => {
    const layer = { ...getPreset('conv_forward')!.layer, kernel: [5, 5], padding: [2, 2] };
    const d = derive(
      doc({
        source: presetSource('conv_forward', layer),
        actions: [{ kind: 'vjp', source: 'weight', term: 0 }],
      }),
    );
    expect(d.network.resultShape).toEqual([32, 16, 5, 5]);
  });

  it('applies tensor dropout reproducibly from its seed', () => {
    const vjp = { kind: 'vjp' as const, source: 'weight', term: 0 };
    const a = derive(doc({ actions: [vjp, { kind: 'dropout', index: 'n', keep: 0.5, seed: 7 }] }));
    const b = derive(doc({ actions: [vjp, { kind: 'dropout', index: 'n', keep: 0.5, seed: 7 }] }));
    expect(a.network.sizes.n).toBe(4);
    expect(a.network).toEqual(b.network);
    expect(a.highlight.legs).toEqual(['n']);
  });

  it('throws a one-line error for an action that no longer applies', () => {
    expect(() =>
      derive(doc({ actions: [{ kind: 'derivative', source: 'Pi3', occurrence: 'Pi3', term: 0 }] })),
    ).toThrow(/^step 1 \(derivative\): .*Pi3/);
  });
});
