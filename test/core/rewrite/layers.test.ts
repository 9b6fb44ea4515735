import { describe, expect, it } from 'vitest';
import { formatEinsum } from '../../../src/core/einsum/index.ts';
import {
  benchLayerConfig,
  buildLayerNetwork,
  layerOpInput,
  type BenchLayer,
} from '../../../src/core/layer.ts';
import { getOperation } from '../../../src/core/ops/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import type { Inputs } from '../../../src/core/tensor.ts';
import { loadLayers } from '../../helpers/fixtures.ts';
import { randomTensor } from '../../helpers/random.ts';
import { checkRewrites } from './helpers.ts';

const { batch, layers } = loadLayers() as unknown as { batch: number; layers: BenchLayer[] };
const denseDim = (l: BenchLayer, d: number) =>
  l.kernel[d] === l.stride[d] && l.padding[d] === 0 && l.dilation[d] === 1;
const downDim = (l: BenchLayer, d: number) =>
  l.stride[d] > l.kernel[d] && l.padding[d] === 0 && l.dilation[d] === 1;
const reducible = (l: BenchLayer, d: number) => denseDim(l, d) || downDim(l, d);
const simplifiable = layers.filter((l) => l.kernel.some((_, d) => reducible(l, d)));

/** The paper's categories, as the bench file labels them. */
describe('bench layers simplify as the paper says', () => {
  it('has dense, down-sampling, 1×1 and mixed layers to check', () => {
    expect(simplifiable.map((l) => l.kind).sort()).toEqual([
      'dense',
      'dense',
      'dense',
      'down',
      'mixed',
    ]);
    expect(simplifiable.some((l) => l.kernel.every((k) => k === 1))).toBe(true);
  });

  it.each(simplifiable.map((l) => [l.name, l] as const))(
    '%s: Π of every dense or down-sampling dimension is replaced by deltas, which go',
    (_name, layer) => {
      const net = buildLayerNetwork('conv_forward', benchLayerConfig(layer, batch));
      const { network, steps } = simplify(net);
      const left = network.tensors.filter((t) => t.kind === 'index_pattern').map((t) => t.label);
      const kept = layer.kernel
        .map((_, d) => d)
        .filter((d) => !reducible(layer, d))
        .map((d) => `Π${'₁₂₃'[d]}`);
      expect(left).toEqual(kept);
      expect(network.tensors.filter((t) => t.kind === 'delta')).toEqual([]);
      const rules = steps.map((s) => s.step.rule);
      expect(rules).toContain('dense_pattern');
      expect(rules).toContain('delta_removal');
      if (layer.kind === 'down') expect(rules).toContain('downsampling_pattern');
      expect(network.resultShape).toEqual(net.resultShape);
    },
  );

  it('gives the einsums of the paper', () => {
    const after = (name: string) => {
      const layer = layers.find((l) => l.name === name)!;
      return formatEinsum(
        simplify(buildLayerNetwork('conv_forward', benchLayerConfig(layer, batch))).network,
      );
    };
    expect(after('convnext_base.stem')).toBe(
      'n c_in o1 k1 o2 k2, c_out c_in k1 k2 -> n c_out o1 o2',
    );
    expect(after('vit_b_16.conv_proj')).toBe(
      'n c_in o1 k1 o2 k2, c_out c_in k1 k2 -> n c_out o1 o2',
    );
    expect(after('resnet50.layer1.0.conv1')).toBe('n c_in o1_o2, c_out c_in -> n c_out o1_o2');
    expect(after('resnet18.layer2.0.downsample')).toBe('n c_in o1_o2, c_out c_in -> n c_out o1_o2');
    expect(after('inception_v3.Mixed_6b.branch7x7_2')).toBe(
      'n c_in o1 i2, k2 o2 i2, c_out c_in k2 -> n c_out o1 o2',
    );
  });

  it('explains each Π step with the layer’s numbers', () => {
    const stem = layers.find((l) => l.name === 'convnext_base.stem')!;
    const first = simplify(buildLayerNetwork('conv_forward', benchLayerConfig(stem, batch)))
      .steps[0].step;
    expect(first.explanation).toBe(
      'Π₁ is dense: K=S=4, P=0, D=1, I=256 divisible by 4 → split i1 on x into (ĩ1=64, k̃1=4); Π₁ = δ(o1, ĩ1)·δ(k1, k̃1)',
    );
    expect(first.tensors).toContain('Pi1');
    expect(first.legs).toEqual(expect.arrayContaining(['i1', 'ĩ1', 'k̃1']));
    const down = layers.find((l) => l.kind === 'down')!;
    const downStep = simplify(buildLayerNetwork('conv_forward', benchLayerConfig(down, batch)))
      .steps[0].step;
    expect(downStep.explanation).toMatch(
      /^Π₁ down-samples: S=2 > K=1, P=0, D=1, I=56 divisible by 2 → split i1 into \(28, 2\), keep the first 1 of each 2 \(slice x\)/,
    );
  });

  it('leaves the Π of general layers (only squeezes and merges apply)', () => {
    for (const layer of layers.filter((l) => !simplifiable.includes(l))) {
      const { network } = simplify(
        buildLayerNetwork('conv_forward', benchLayerConfig(layer, batch)),
      );
      expect(network.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(
        layer.kernel.length,
      );
    }
  });

  it.each(simplifiable.map((l) => [l.name, l] as const))(
    '%s, shrunk to a few pixels and channels: same value after every rewrite',
    (_name, layer) => {
      const channels = (c: number) => Math.min(c, 2);
      const depthwise = layer.groups === layer.in_channels && layer.groups > 1;
      const small: BenchLayer = {
        ...layer,
        in_channels: channels(layer.in_channels),
        out_channels: channels(layer.out_channels),
        groups: depthwise ? 2 : 1,
        input: layer.input.map((_, d) => {
          const extent = layer.dilation[d] * (layer.kernel[d] - 1) + 1;
          return Math.max(2 * layer.stride[d], extent - 2 * layer.padding[d]);
        }),
      };
      const op = layerOpInput('conv_forward', benchLayerConfig(small, 1));
      const net = getOperation('conv_forward').build(op);
      const inputs: Inputs = {
        x: randomTensor(op.shapes.x, 1),
        weight: randomTensor(op.shapes.weight, 2),
      };
      const { worst, simplified } = checkRewrites(net, inputs);
      expect(worst).toBeLessThan(1e-12);
      expect(simplified.tensors.filter((t) => t.kind === 'index_pattern')).toHaveLength(
        layer.kernel.filter((_, d) => !reducible(layer, d)).length,
      );
    },
  );
});
