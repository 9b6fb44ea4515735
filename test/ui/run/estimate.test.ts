import { describe, expect, it } from 'vitest';
import { getOperation } from '../../../src/core/ops/index.ts';
import {
  ASSUMED_RATE,
  estimateJob,
  formatDuration,
  jobFlops,
  measuredRate,
  networkWarning,
  recordRate,
  remainingSeconds,
} from '../../../src/ui/run/estimate.ts';
import { MemoryStorage } from '../../helpers/memoryStorage.ts';

const job = { flops: 1e9, builtin: true, repeats: 5, warmup: 1 };

describe('run time estimate', () => {
  it('counts every run of every timed part', () => {
    // (1 warm-up + 5 timed + 1 for the result) × (network + built-in) + the unsimplified network.
    expect(jobFlops(job)).toBe(7 * 2e9);
    expect(jobFlops({ ...job, builtin: false, unsimplifiedFlops: 3e9 })).toBe(7 * 4e9);
  });

  it('uses the assumed rate until this device has measured one, then the median of the last runs', () => {
    const storage = new MemoryStorage();
    expect(estimateJob(job, 'webgpu', storage)).toEqual({
      seconds: 14e9 / ASSUMED_RATE.webgpu,
      flops: 14e9,
      rate: ASSUMED_RATE.webgpu,
      basis: 'assumed',
    });
    recordRate('webgpu', 1e9, 100, storage); // 1e10 FLOP/s
    recordRate('webgpu', 1e9, 1000, storage); // 1e9
    recordRate('webgpu', 1e9, 500, storage); // 2e9
    recordRate('webgpu', 1e6, 1, storage); // too short to tell: ignored
    expect(measuredRate('webgpu', storage)).toBe(2e9);
    expect(measuredRate('wasm', storage)).toBeUndefined();
    expect(estimateJob(job, 'webgpu', storage)).toMatchObject({ seconds: 7, basis: 'measured' });
  });

  it('survives a damaged rate memory', () => {
    const storage = new MemoryStorage();
    storage.setItem('einsketch.runRates.v1', '{"webgpu": "fast"');
    expect(measuredRate('webgpu', storage)).toBeUndefined();
    recordRate('webgpu', 1e9, 100, storage);
    expect(measuredRate('webgpu', storage)).toBe(1e10);
  });

  it('tells the time left from the progress, or from the estimate before there is any', () => {
    expect(remainingSeconds(10_000, 0.5)).toBeCloseTo(10);
    expect(remainingSeconds(2_000, 0.01, 30)).toBe(28);
    expect(remainingSeconds(2_000, 0)).toBeUndefined();
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 240)).toBe('3 h 4 min');
  });

  it('warns about a network beyond the limits or the budget while it is edited', () => {
    const small = getOperation('conv_forward').build({
      shapes: { x: [1, 2, 8, 8], weight: [3, 2, 3, 3] },
    });
    expect(networkWarning(small, 2 ** 30)).toBeUndefined();
    const huge = getOperation('conv_forward').build({
      shapes: { x: [1, 1, 100_000, 100_000], weight: [1, 1, 3, 3] },
    });
    expect(networkWarning(huge, 2 ** 30)).toMatch(
      /has 10000000000 entries .* the limit is 134217728/,
    );
    const kfc = getOperation('kfc').build({ kernel_size: 3, shapes: { x: [8, 64, 256, 256] } });
    expect(networkWarning(kfc, 2 ** 30)).toMatch(/over the memory budget of 1\.00 GiB/);
  });
});
