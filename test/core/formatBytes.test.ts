import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/core/formatBytes.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [4096, '4.00 KiB'],
    [50 * 1024 + 512, '50.5 KiB'],
    [128 * 2 ** 20, '128 MiB'],
    [1.1 * 2 ** 30, '1.10 GiB'],
    [3 * 2 ** 40, '3.00 TiB'],
  ])('%d bytes read %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
