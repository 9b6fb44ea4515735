import { describe, expect, it } from 'vitest';
import {
  benchLayerConfig,
  buildLayerNetwork,
  layerOpInput,
  type BenchLayer,
} from '../../../src/core/layer.ts';
import { planNetwork } from '../../../src/core/planner/index.ts';
import { simplify } from '../../../src/core/rewrite/index.ts';
import { sizeOf } from '../../../src/engine/program.ts';
import { lowerToKernels } from '../../../src/engine/webgpu/kernelLowering.ts';
import { loadLayers } from '../../helpers/fixtures.ts';

/**
 * What the generated programs allocate, read off the program (no GPU needed): on every
 * layer of the benchmark suite, no operation materialises an unfolded input. Forward, VJPs
 * and KFC are a single kernel with no intermediate; KFAC-reduce's only intermediates are
 * the x·Π̄ of each copy, of size N·C_in·∏K (and, where a downsampling rule slices the
 * input, one copy of the slice).
 */
const OPS = [
  'conv_forward',
  'conv_input_jvp',
  'conv_weight_jvp',
  'conv_input_vjp',
  'conv_weight_vjp',
  'kfc',
  'kfac_reduce',
] as const;

describe('generated kernel programs on the benchmark layers', () => {
  for (const raw of loadLayers().layers as unknown as BenchLayer[]) {
    it(raw.name, () => {
      const layer = benchLayerConfig(raw, 2);
      for (const op of OPS) {
        for (const net of [
          buildLayerNetwork(op, layer),
          simplify(buildLayerNetwork(op, layer)).network,
        ]) {
          const shapes = layerOpInput(op, layer).shapes as Record<string, number[]>;
          const program = lowerToKernels(net, planNetwork(net).path, shapes);
          // A phased kernel (strided input VJPs) writes one result from several dispatches.
          const kernels = program.instrs.filter((i) => i.op === 'kernel' || i.op === 'phased');
          expect(
            program.instrs.every((i) =>
              ['input', 'kernel', 'phased', 'reshape', 'const'].includes(i.op),
            ),
            `${op}: only kernels`,
          ).toBe(true);
          expect(program.constants, `${op}: no index tables`).toEqual([]);
          const result = sizeOf(net.resultShape);
          const intermediates = kernels.filter(
            (k) =>
              k.out !== program.output &&
              !program.instrs.some(
                (r) => r.op === 'reshape' && r.x === k.out && r.out === program.output,
              ),
          );
          if (op === 'kfac_reduce') {
            const pbar = layer.batch * layer.inChannels * sizeOf(layer.kernel);
            // Each copy's x·Π̄, or (downsampling layers) the sliced input copied once.
            const input = sizeOf(shapes.x);
            expect(intermediates.length, op).toBeLessThanOrEqual(4);
            for (const k of intermediates)
              expect(sizeOf(program.values[k.out].shape), op).toBeLessThanOrEqual(
                Math.max(pbar, input),
              );
          } else {
            // Downsampling layers copy the sliced input once (at most the input's size).
            const input = Math.max(...Object.values(shapes).map(sizeOf));
            for (const k of intermediates)
              expect(sizeOf(program.values[k.out].shape), `${op} intermediate`).toBeLessThanOrEqual(
                input,
              );
            expect(kernels.length - intermediates.length, op).toBe(1);
          }
          expect(program.peakBytes, op).toBeLessThanOrEqual(
            4 *
              (Object.values(shapes).reduce((a, s) => a + sizeOf(s), 0) +
                result +
                (op === 'kfac_reduce'
                  ? 2 *
                    Math.max(
                      layer.batch * layer.inChannels * sizeOf(layer.kernel),
                      sizeOf(shapes.x),
                    )
                  : Math.max(...Object.values(shapes).map(sizeOf)))),
          );
        }
      }
    });
  }
});
