import { describe, expect, it } from 'vitest';
import { derive } from '../../../src/ui/editor/model/replayDoc.ts';
import type { Step } from '../../../src/core/notebook/index.ts';
import { sketch } from '../../helpers/sketches.ts';
import { reportToCsv } from '../../../src/ui/bench/exportReport.ts';
import { checkUploadsFit } from '../../../src/ui/run/runActions.ts';
import { runTarget } from '../../../src/ui/run/runTarget.ts';
import type { CaseResult } from '../../../src/ui/run/runMessages.ts';

const doc = (presetId: string, steps: Step[] = []) => sketch(presetId, steps);

describe('runTarget', () => {
  it('keeps the operation while only simplification was applied, with the network before it', () => {
    const d = doc('dense_patchify', [{ kind: 'simplify' }]);
    const t = runTarget(d, derive(d));
    expect(t.op).toBe('conv_forward');
    expect(t.layer?.kernel).toEqual([4, 4]);
    expect(t.unsimplified).toBeDefined();
    expect(t.unsimplified).not.toBe(t.network);
    expect(t.shapes).toEqual({ x: [8, 3, 32, 32], weight: [64, 3, 4, 4] });
    expect(t.label).toBe('Patchify (K = S, ViT / ConvNeXt stem) (simplified)');
  });

  it('recognises a derivation that is an operation of the layer (Convolution → W → VJP)', () => {
    const d = doc('conv_forward', [{ kind: 'vjp', source: 'weight', term: 0 }]);
    const t = runTarget(d, derive(d));
    expect(t.op).toBe('conv_weight_vjp');
    expect(t.builtinInputs).toEqual({ x: 'x', v: 'v' });
    expect(t.label).toMatch(/= conv_weight_vjp$/);
    expect(t.unsimplified).toBeUndefined();
    expect(Object.keys(t.shapes).sort()).toEqual(['v', 'x']);
  });

  it('leaves a network that is no operation unlabelled', () => {
    const d = doc('conv_forward', [{ kind: 'derivative', source: 'x', occurrence: 'x', term: 0 }]);
    const t = runTarget(d, derive(d));
    expect(t.op).toBeUndefined();
  });
});

describe('checkUploadsFit', () => {
  it('names the input and both shapes', () => {
    const shapes = { x: [2, 3], weight: [4] };
    expect(() =>
      checkUploadsFit({ x: { shape: [2, 3], data: new Float32Array(6) } }, shapes),
    ).not.toThrow();
    expect(() =>
      checkUploadsFit({ x: { shape: [3, 2], data: new Float32Array(6) } }, shapes),
    ).toThrow("uploaded input 'x' has shape [3, 2]; the network needs [2, 3]");
    expect(() => checkUploadsFit({ y: { shape: [1], data: new Float32Array(1) } }, shapes)).toThrow(
      /'y' is not read by the network \(it reads x \[2, 3\], weight \[4\]\)/,
    );
  });
});

describe('reportToCsv', () => {
  it('writes one row per case, quoting notes', () => {
    const c: CaseResult = {
      layer: 'l1',
      kind: 'general',
      op: 'forward',
      batch: 1,
      inputBytes: 4,
      resultBytes: 4,
      tn: {
        name: 'engine',
        medianMs: 2,
        runsMs: [1, 2, 3],
        peakBytes: 10,
        extraBytes: 6,
        path: [[0, 1]],
        algorithm: 'optimal',
        planMs: 1,
        steps: [],
      },
      builtin: { name: 'tf.conv2d', medianMs: 4, runsMs: [4, 4, 5], peakBytes: 20, extraBytes: 16 },
      ratio: 0.5,
      maxAbsError: 1e-7,
      maxAbs: 1,
      note: 'a, "b"',
      wallMs: 5,
    };
    const [header, row] = reportToCsv({ cases: [c] })
      .trim()
      .split('\n');
    expect(header.split(',')).toContain('ratio_tn_over_builtin');
    expect(row).toBe(
      'l1,general,forward,1,2,1,3,4,4,5,0.5,10,20,6,16,1e-7,1,tf.conv2d,optimal,"a, ""b"""',
    );
  });
});
