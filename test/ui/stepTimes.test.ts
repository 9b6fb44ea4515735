import { beforeEach, describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { networkKey, recordStepTimes, useStepTimes } from '../../src/ui/common/stepTimes.ts';
import { PRESET_LAYER_2D } from '../helpers/smallPresets.ts';

describe('step times of the last runs', () => {
  beforeEach(() => useStepTimes.setState({ byNetwork: {} }));
  const net = buildLayerNetwork('conv_forward', PRESET_LAYER_2D);
  const run = (ms: number) => ({
    plan: { path: [[0, 1]] },
    backend: 'webgpu',
    steps: [{ step: 0, kinds: ['tiled'], result: [], planStep: 0, ms }],
  });

  it('keeps the latest run of each network under its key', () => {
    recordStepTimes(net, run(1));
    recordStepTimes(net, run(2));
    const other = buildLayerNetwork('conv_weight_vjp', PRESET_LAYER_2D);
    recordStepTimes(other, run(3));
    const { byNetwork } = useStepTimes.getState();
    expect(Object.keys(byNetwork)).toHaveLength(2);
    expect(byNetwork[networkKey(net)].steps[0].ms).toBe(2);
    expect(byNetwork[networkKey(other)].steps[0].ms).toBe(3);
  });

  it('forgets the oldest networks beyond twenty, and runs without profiled steps', () => {
    for (let c = 1; c <= 25; c++)
      recordStepTimes(
        buildLayerNetwork('conv_forward', { ...PRESET_LAYER_2D, outChannels: 2 * c }),
        run(c),
      );
    recordStepTimes(net, { ...run(9), steps: undefined });
    const { byNetwork } = useStepTimes.getState();
    expect(Object.keys(byNetwork)).toHaveLength(20);
    expect(byNetwork[networkKey(net)]).toBeUndefined();
    expect(Object.values(byNetwork).map((r) => r.steps[0].ms)).toEqual(
      Array.from({ length: 20 }, (_, k) => k + 6),
    );
  });
});
