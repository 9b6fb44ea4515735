import { describe, expect, it } from 'vitest';
import {
  benchLayerConfig,
  buildLayerNetwork,
  layerOpInput,
  type BenchLayer,
  type LayerConfig,
} from '../../../src/core/layer.ts';
import { generate } from '../../../src/engine/webgpu/kernelLowering.ts';
import { loadLayers } from '../../helpers/fixtures.ts';
import { compileNetwork } from '../../../src/engine/evaluate.ts';

/**
 * The tiled kernel's loads assume every invocation reads one row of each tile for every k:
 * a tile taller than the workgroup broke that (and emitted `k0 + flat / 256 + 0.5`, which
 * WGSL refuses). Read off the generated source, no GPU needed.
 */
describe('tiled kernel geometry', () => {
  it('keeps every tile within the workgroup, whatever the matrix shape', () => {
    const seen = new Set<number>();
    for (const outChannels of [1, 3, 8, 16, 20, 30, 40, 64, 128])
      for (const side of [4, 10, 16, 20, 40]) {
        const layer: LayerConfig = {
          batch: 1,
          inChannels: 8,
          outChannels,
          input: [side, side],
          kernel: [1, 1],
          stride: [1, 1],
          padding: [0, 0],
          dilation: [1, 1],
          groups: 1,
          outputPadding: [0, 0],
        };
        for (const op of ['conv_forward', 'conv_input_vjp'] as const) {
          const net = buildLayerNetwork(op, layer);
          const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
          const { program } = compileNetwork(net, shapes, { kernels: true, kernelChoice: 'tiled' });
          for (const i of program.instrs) {
            if (i.op !== 'kernel' || i.kernel.kind !== 'tiled') continue;
            for (const [, tile, offset] of i.kernel.source.matchAll(
              /let k[AB]\d+ = k0 \+ flat \/ (\d+) \+ ([\d.]+);/g,
            )) {
              seen.add(Number(tile));
              expect(
                Number.isInteger(Number(offset)),
                `offset ${offset} for a tile of ${tile}`,
              ).toBe(true);
              expect(128 % Number(tile)).toBe(0);
            }
          }
        }
      }
    // Short and workgroup-tall tiles both occurred (128: a 16-wide N tile with RM = 4).
    expect([...seen]).toEqual(expect.arrayContaining([16, 64, 128]));
  });
});

describe('tiled kernel orientation', () => {
  it('writes the result’s last leg along a workgroup row whichever order the path gives the operands', () => {
    let checked = 0;
    for (const raw of loadLayers().layers as unknown as BenchLayer[]) {
      const layer = benchLayerConfig(raw, 1);
      for (const op of ['conv_forward', 'conv_input_vjp', 'conv_weight_vjp'] as const) {
        const net = buildLayerNetwork(op, layer);
        const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
        const { program } = compileNetwork(net, shapes, { kernels: true });
        for (const i of program.instrs) {
          if (i.op !== 'kernel' || i.kernel.kind !== 'tiled') continue;
          const swapped = { ...i.spec, operands: [...i.spec.operands].reverse() };
          const last = i.spec.output[i.spec.output.length - 1];
          const onBoth = i.spec.operands.every((o) => o.legs.includes(last));
          if (onBoth) continue;
          const unbound = (s: string) => s.replace(/in[01]\[/g, 'in[');
          expect(unbound(generate(swapped).source), `${raw.name} ${op}`).toBe(
            unbound(i.kernel.source),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
