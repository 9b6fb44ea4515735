import * as tf from '@tensorflow/tfjs-core';
import { parseEinsum } from '../../core/einsum/index.ts';
import { compileNetwork } from '../evaluate.ts';
import { maxAbsDiff } from './compare.ts';
import { seededInputs, uploadInputs } from './inputs.ts';
import type { EinsumResult } from './report.ts';
import { measureSides, networkSide } from './sides.ts';
import type { RoundsConfig } from './timing.ts';

/**
 * Two-operand contractions: the engine's transpose/reshape/matMul lowering against
 * tf.einsum, which broadcasts everything into one tensor over all indices.
 */
export const EINSUM_CASES: { equation: string; shapes: number[][] }[] = [
  {
    equation: 'ij,jk->ik',
    shapes: [
      [256, 256],
      [256, 256],
    ],
  },
  {
    equation: 'bij,bjk->bik',
    shapes: [
      [8, 128, 128],
      [8, 128, 128],
    ],
  },
  {
    equation: 'abc,cbd->da',
    shapes: [
      [64, 32, 32],
      [32, 32, 64],
    ],
  },
];

export async function benchEinsum(
  cfg: RoundsConfig,
  log: (line: string) => void,
): Promise<EinsumResult[]> {
  const results: EinsumResult[] = [];
  for (const { equation, shapes } of EINSUM_CASES) {
    const net = parseEinsum(equation, shapes, { names: ['a', 'b'] });
    const named = { a: shapes[0], b: shapes[1] };
    const inputs = uploadInputs(seededInputs(named, 11), named);
    try {
      const { program } = compileNetwork(net, named);
      const [engine, einsum] = await measureSides(
        [
          networkSide('engine', program, inputs),
          {
            name: 'tf.einsum',
            start: () => ({
              name: 'tf.einsum',
              run: () => tf.einsum(equation, inputs.a, inputs.b),
              dispose: () => {},
            }),
          },
        ],
        cfg,
      );
      if (!engine.measurement || !einsum.measurement) {
        log(`einsum ${equation}: ${engine.skipped ?? einsum.skipped}`);
        continue;
      }
      const e = engine.measurement.medianMs;
      const s = einsum.measurement.medianMs;
      results.push({
        equation,
        shapes,
        engineMs: e,
        einsumMs: s,
        speedup: s / e,
        maxAbsError: maxAbsDiff(engine.data!, einsum.data!),
      });
      log(
        `einsum ${equation} ${JSON.stringify(shapes)}: engine ${e.toFixed(2)} ms, tf.einsum ${s.toFixed(2)} ms (${(s / e).toFixed(1)}× faster)`,
      );
    } catch (err) {
      log(`einsum ${equation}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    } finally {
      tf.dispose(Object.values(inputs));
    }
  }
  return results;
}
