import { afterEach, describe, expect, it } from 'vitest';
import { derive } from '../../src/ui/editor/model/replayDoc.ts';
import type { Step } from '../../src/core/notebook/index.ts';
import { sketch } from '../helpers/sketches.ts';
import { checkDerivation, smallLayer } from '../../src/ui/editor/model/stepChecks.ts';

const hooks = globalThis as { __einsketchTest?: { breakRule?: string } };
afterEach(() => delete hooks.__einsketchTest);

const doc = (presetId: string, steps: Step[]) => sketch(presetId, steps);

describe('checking every step of a derivation', () => {
  it('checks a VJP and each simplification step on a small instance of the layer', () => {
    const d = doc('dense_patchify', [
      { kind: 'vjp', source: 'weight', term: 0 },
      { kind: 'simplify' },
    ]);
    const checks = checkDerivation(d, derive(d));
    expect(checks.instance).toMatch(/^batch 2/);
    expect(checks.simplify.length).toBeGreaterThan(0);
    expect(checks.simplify.every((v) => v.status === 'ok')).toBe(true);
    const d2 = doc('conv_forward', [{ kind: 'vjp', source: 'weight', term: 0 }]);
    expect(checkDerivation(d2, derive(d2)).differentiation?.status).toBe('ok');
  });

  it('puts a ✗ on the step of a broken rule, and only there', () => {
    hooks.__einsketchTest = { breakRule: 'dense_pattern' };
    const d = doc('dense_patchify', [{ kind: 'simplify' }]);
    const derived = derive(d);
    const rules = derived.simplify!.steps.map((s) => s.step.rule);
    const checks = checkDerivation(d, derived);
    const first = rules.indexOf('dense_pattern');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(checks.simplify.map((v) => v.status)).toEqual(
      rules.map((_, k) => (k === first ? 'changed' : 'ok')),
    );
  });

  it('keeps what decides which rules apply when it shrinks a layer', () => {
    const layer = smallLayer({
      batch: 8,
      inChannels: 12,
      outChannels: 16,
      input: [32, 30],
      kernel: [4, 3],
      stride: [4, 2],
      padding: [0, 1],
      dilation: [1, 1],
      groups: 4,
      outputPadding: [0, 0],
    });
    expect(layer).toMatchObject({ batch: 2, inChannels: 8, outChannels: 8, groups: 4 });
    layer.input.forEach((n, a) => {
      expect(n % [4, 3][a]).toBe([32 % 4, 30 % 3][a]);
      expect(n % [4, 2][a]).toBe([32 % 4, 30 % 2][a]);
    });
    expect(layer.input[0]).toBe(8);
  });
});
