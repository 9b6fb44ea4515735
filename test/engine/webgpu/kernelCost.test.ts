import { describe, expect, it } from 'vitest';
import {
  benchLayerConfig,
  buildLayerNetwork,
  layerOpInput,
  layerOutputSize,
  type BenchLayer,
} from '../../../src/core/layer.ts';
import { planNetwork } from '../../../src/core/planner/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import type { Program } from '../../../src/engine/program.ts';
import { GENERATED_KERNELS_COST } from '../../../src/engine/webgpu/kernelCost.ts';
import { lowerToKernels } from '../../../src/engine/webgpu/kernelLowering.ts';
import { loadLayers } from '../../helpers/fixtures.ts';

/**
 * The planner's cost under the generated kernels' model is what those kernels do: 2 FLOPs
 * per multiply–add they perform (read off the generated programs, no GPU needed).
 */

function kernelFlops(program: Program): number {
  let macs = 0;
  for (const i of program.instrs) {
    if (i.op === 'kernel') macs += i.kernel.macs;
    if (i.op === 'phased') for (const p of i.phases) macs += p.kernel.macs;
  }
  return 2 * macs;
}

const OPS = ['conv_forward', 'conv_input_vjp', 'conv_weight_vjp'] as const;

describe('plan cost under the generated kernels', () => {
  it('matches the multiply–adds of the kernels that run (forward, input and weight VJP on every benchmark layer, strided ones split by phase)', () => {
    const off: string[] = [];
    let gatherOff = 0;
    const kinds = new Set<string>();
    for (const raw of loadLayers().layers as unknown as BenchLayer[]) {
      const layer = benchLayerConfig(raw, 1);
      for (const op of OPS) {
        for (const net of [
          buildLayerNetwork(op, layer),
          simplify(buildLayerNetwork(op, layer)).network,
        ]) {
          const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
          const plan = planNetwork(net, { costModel: GENERATED_KERNELS_COST });
          expect(plan.costModel).toBe('generated WebGPU kernels');
          for (const s of plan.steps) kinds.add(s.kind);
          const actual = kernelFlops(lowerToKernels(net, plan.path, shapes));
          const ratio = plan.structuredFlops / actual;
          if (!(ratio > 0.95 && ratio < 1.05))
            off.push(`${raw.name} ${op}: predicted ${plan.structuredFlops}, kernels ${actual}`);
          if (Math.abs(planNetwork(net).structuredFlops / actual - 1) > 0.3) gatherOff++;
        }
      }
    }
    expect(off).toEqual([]);
    // The default model (every step materialised, Π·x a gather) is off by more than 30 % somewhere.
    expect(gatherOff).toBeGreaterThan(0);
    expect(kinds).toContain('view');
    expect(kinds).toContain('fused');
  }, 120_000);

  it('sums x·Π̄ of KFAC-reduce over the output positions on strided layers: N·C·∏K·∏O multiply–adds, no divisibility test', () => {
    let strided = 0;
    for (const raw of loadLayers().layers as unknown as BenchLayer[]) {
      const layer = benchLayerConfig(raw, 2);
      if (layer.stride.every((s) => s === 1)) continue;
      const net = simplify(buildLayerNetwork('kfac_reduce', layer)).network;
      const shapes = layerOpInput('kfac_reduce', layer).shapes as Record<string, number[]>;
      const plan = planNetwork(net, { costModel: GENERATED_KERNELS_COST });
      const program = lowerToKernels(net, plan.path, shapes);
      const reduce = program.instrs.filter(
        (i) => i.op === 'kernel' && i.spec.operands.length === 1 && i.spec.patterns.length > 0,
      );
      // A 1×1 strided kernel is a slice after simplification: no Π̄ left to sum.
      if (!reduce.length) continue;
      strided++;
      const outSize = layerOutputSize(layer).reduce((a, b) => a * b, 1);
      const kernelSize = layer.kernel.reduce((a, b) => a * b, 1);
      for (const i of reduce) {
        if (i.op !== 'kernel') continue;
        expect(i.kernel.source, raw.name).not.toMatch(/ % [2-9]\d* != 0/);
        expect(i.kernel.macs, raw.name).toBe(layer.batch * layer.inChannels * kernelSize * outSize);
      }
    }
    expect(strided).toBeGreaterThan(2);
  });
});
