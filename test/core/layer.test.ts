import { describe, expect, it } from 'vitest';
import {
  benchLayerConfig,
  buildLayerNetwork,
  layerOutputSize,
  type BenchLayer,
} from '../../src/core/layer.ts';
import { OP_NAMES } from '../../src/core/ops/index.ts';
import { loadLayers } from '../helpers/fixtures.ts';

const { batch, layers } = loadLayers() as unknown as { batch: number; layers: BenchLayer[] };

describe('layer configs', () => {
  it.each(layers.map((l) => [l.name, l] as const))('%s builds every operation', (_name, layer) => {
    const config = benchLayerConfig(layer, batch);
    const out = layerOutputSize(config);
    for (const op of OP_NAMES) {
      const net = buildLayerNetwork(op, config);
      expect(net.tensors.length).toBeGreaterThan(1);
      if (op === 'conv_forward')
        expect(net.resultShape).toEqual([batch, layer.out_channels, ...out]);
      if (op === 'conv_weight_vjp')
        expect(net.resultShape).toEqual([
          layer.out_channels,
          layer.in_channels / layer.groups,
          ...layer.kernel,
        ]);
      if (op === 'conv_input_vjp')
        expect(net.resultShape).toEqual([batch, layer.in_channels, ...layer.input]);
    }
  });

  it('computes output sizes as PyTorch does', () => {
    const resnetStem = layers.find((l) => l.name === 'resnet18.conv1')!;
    expect(layerOutputSize(benchLayerConfig(resnetStem, 1))).toEqual([112, 112]);
    const wavenet = layers.find((l) => l.name === 'wavenet.conv1d')!;
    expect(layerOutputSize(benchLayerConfig(wavenet, 1))).toEqual([4000 - 8]);
  });
});
