import * as tf from '@tensorflow/tfjs-core';

/**
 * Micro-benchmarks of the tfjs kernels the engine lowers to, for choosing between
 * equivalent lowerings on the active backend (e.g. which operand layout tf.matMul reads
 * fastest, or whether a thin product is faster as broadcast-multiply + sum).
 */
async function timeIt(fn: () => tf.Tensor, runs = 5): Promise<number> {
  const warm = fn();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const out = fn();
    await out.data();
    times.push(performance.now() - t0);
    out.dispose();
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

export async function microBenchmarks(log: (line: string) => void): Promise<void> {
  const shapes: [number, number, number, number][] = [
    [1, 576, 3136, 576],
    [128, 7, 4096, 7],
    [128, 7, 7, 4096],
    [1, 3136, 576, 64],
  ];
  for (const [b, m, k, n] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = tf.randomNormal(ta ? [b, k, m] : [b, m, k]);
      const bb = tf.randomNormal(tb ? [b, n, k] : [b, k, n]);
      const ms = await timeIt(() => tf.matMul(a, bb, ta, tb));
      log(
        `matMul batch ${b} M ${m} K ${k} N ${n} transposeA ${ta} transposeB ${tb}: ${ms.toFixed(1)} ms`,
      );
      tf.dispose([a, bb]);
    }
    if (m * n * b <= 1 << 16) {
      const a = tf.randomNormal([b, m, 1, k]);
      const bb = tf.randomNormal([b, 1, n, k]);
      const ms = await timeIt(() => tf.tidy(() => tf.sum(tf.mul(a, bb), 3)));
      log(`mul+sum batch ${b} M ${m} K ${k} N ${n}: ${ms.toFixed(1)} ms`);
      tf.dispose([a, bb]);
    }
  }
}
