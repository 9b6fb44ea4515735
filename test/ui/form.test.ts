import { describe, expect, it } from 'vitest';
import {
  buildFromForm,
  fieldsFor,
  layerToForm,
  parseForm,
  withDims,
} from '../../src/ui/editor/model/form.ts';
import { DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';

const values = layerToForm(DEFAULT_LAYER);

describe('hyper-parameter form', () => {
  it('round-trips a layer', () => {
    expect(parseForm(values).layer).toEqual(DEFAULT_LAYER);
  });

  it('reads one value for every dimension, "3x3" and "same"', () => {
    const { layer } = parseForm({ ...values, kernel: '5', stride: '2x1', padding: 'same' });
    expect(layer?.kernel).toEqual([5, 5]);
    expect(layer?.stride).toEqual([2, 1]);
    expect(layer?.padding).toBe('same');
  });

  it('reports syntax errors per field', () => {
    const { layer, errors } = parseForm({ ...values, batch: 'x', input: '1, 2, 3' });
    expect(layer).toBeUndefined();
    expect(errors.batch).toMatch(/integer/);
    expect(errors.input).toMatch(/1 or 2 values/);
  });

  it('changing N keeps the first value per dimension', () => {
    const three = withDims(values, 3);
    expect(three.input).toBe('32, 32, 32');
    expect(parseForm(three).layer?.kernel).toEqual([3, 3, 3]);
  });

  it("puts the library's error beside the field that caused it", () => {
    const kernel = buildFromForm(
      'conv_forward',
      { ...values, kernel: '40', padding: '0' },
      'kernel',
    );
    expect(kernel.ok).toBe(false);
    if (!kernel.ok) expect(kernel.errors.kernel).toMatch(/kernel larger than padded input/);
    const input = buildFromForm('conv_forward', { ...values, input: '2', padding: '0' }, 'input');
    if (!input.ok) expect(Object.keys(input.errors)).toEqual(['input']);
    const groups = buildFromForm('conv_forward', { ...values, groups: '3' }, 'groups');
    expect(groups.ok).toBe(false);
    if (!groups.ok) expect(groups.errors.groups).toMatch(/groups 3 does not divide/);
  });

  it('shows only the fields an operation reads', () => {
    expect(fieldsFor('unfold')).not.toContain('groups');
    expect(fieldsFor('unfold')).not.toContain('outChannels');
    expect(fieldsFor('conv_transpose_forward')).toContain('outputPadding');
    expect(fieldsFor('conv_forward')).not.toContain('outputPadding');
    expect(fieldsFor('ggn_diagonal')).toContain('outChannels');
    expect(fieldsFor('avg_pool')).not.toContain('dilation');
    expect(fieldsFor('avg_pool')).not.toContain('groups');
  });

  it('a hidden out-channels field does not break groups for ops that ignore it', () => {
    const r = buildFromForm(
      'kfc',
      { ...values, inChannels: '6', outChannels: '32', groups: '3' },
      'groups',
    );
    expect(r.ok).toBe(true);
  });
});
