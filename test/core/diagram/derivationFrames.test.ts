import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import { buildDiagram, type DiagramCell } from '../../../src/core/notebook/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import type { LayerConfig } from '../../../src/core/layer.ts';
import { derivationFrames, framesOf } from '../../../src/core/diagram/derivationFrames.ts';

const layer: LayerConfig = {
  batch: 2,
  inChannels: 3,
  outChannels: 4,
  input: [6, 6],
  kernel: [3, 3],
  stride: [3, 3],
  padding: [0, 0],
  dilation: [1, 1],
  groups: 1,
  outputPadding: [0, 0],
};

const cell = (steps: DiagramCell['steps']): Pick<DiagramCell, 'source' | 'steps'> => ({
  source: { kind: 'preset', op: 'conv_forward', layer },
  steps,
});

const text = (n: Parameters<typeof formatEinsum>[0]) => formatEinsum(n);

describe('the frames of a diagram cell’s derivation', () => {
  it('go from the source through each step, a simplification rewrite by rewrite, to the cell’s diagram', () => {
    const c = cell([{ kind: 'vjp', source: 'weight' }, { kind: 'simplify' }]);
    const frames = derivationFrames(c);
    const built = buildDiagram(c);
    if (!built.ok) throw new Error(built.error);
    const rewrites = simplify(built.stages[1].terms[0].network).steps;
    expect(rewrites.length).toBeGreaterThan(1);
    expect(frames).toHaveLength(2 + rewrites.length);
    expect(text(frames[0].network)).toBe(text(built.stages[0].terms[0].network));
    expect(frames[0].caption).toBe('the start');
    expect(text(frames[1].network)).toBe(text(built.stages[1].terms[0].network));
    expect(frames[1].caption).toBe('VJP with respect to weight');
    expect(frames[2].caption).toMatch(/^[\w-]+: /);
    expect(frames[2].highlight.tensors.length + frames[2].highlight.legs.length).toBeGreaterThan(0);
    expect(text(frames.at(-1)!.network)).toBe(text(built.sum.terms[0].network));
  });

  it('are one frame without steps, clamp the term, are made once per cell, and none for a broken cell', () => {
    // No steps: one frame. A term past the sum's terms is clamped to the last one.
    expect(derivationFrames(cell([]))).toHaveLength(1);
    const c = cell([{ kind: 'derivative', source: 'weight' }]);
    expect(framesOf(c)).toBe(framesOf(c));
    expect(framesOf(c, 5)).toHaveLength(2);
    expect(derivationFrames({ ...c, steps: [{ kind: 'vjp', source: 'nothing' }] })).toEqual([]);
  });
});
