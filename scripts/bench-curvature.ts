/**
 * `npx tsx scripts/bench-curvature.ts [--batch N] [--rows C] [--runs R] [--layers a,b] [--unfold]`
 * (defaults: batch 2, C = 2, one timed run: tfjs-cpu's Conv2DBackpropFilter is slow):
 * per_example_grad_norm and ggn_diagonal as one tensor network against the way a PyTorch
 * user computes them today — a loop over examples (and over the rows of the loss-Hessian
 * factor), one weight backprop each, then square and sum — both in tfjs on the same
 * backend (tfjs-backend-cpu in Node, float32). Prints the medians and the largest
 * difference between the two results, relative to the largest entry.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {
  benchLayerConfig,
  layerOutputSize,
  type BenchLayer,
  type LayerConfig,
} from '../src/core/layer.ts';
import { OPERATIONS } from '../src/core/ops/index.ts';
import { simplify } from '../src/core/rewrite/index.ts';
import { compileNetwork, Executable } from '../src/engine/index.ts';
import { randomValues, timeInterleaved, unfoldBySlicing } from '../src/engine/bench/index.ts';
import { selectNodeBackend } from '../src/engine/node.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
};
const batch = Number(option('batch', '2'));
const rows = Number(option('rows', '2'));
const runs = Number(option('runs', '1'));
const wanted = option('layers', 'inception_v3.Mixed_6b.branch7x7_2,resnet18.layer4.0.conv2').split(
  ',',
);

const file = JSON.parse(
  readFileSync(new URL('../test/fixtures/layers.json', import.meta.url), 'utf8'),
) as { layers: BenchLayer[] };

const tensorOf = (shape: number[], seed: number): tf.Tensor =>
  tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/**
 * Per-example weight gradient of one example as [K1, K2, C_in, C_out]: tfjs's backprop
 * kernel (what tf.grad calls), or, with --unfold, im2col by slicing and one matrix
 * product (the unfold-based way of BackPACK and Opacus).
 */
const useUnfold = argv.includes('--unfold');
function weightGradient(layer: LayerConfig, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const pad = layer.padding as number[];
  if (useUnfold) {
    const output = layerOutputSize(layer);
    const positions = output[0] * output[1];
    const geometry = {
      kernel: layer.kernel,
      stride: layer.stride,
      dilation: layer.dilation,
      padding: pad.map((p): [number, number] => [p, p]),
      output,
    };
    const u = tf.reshape(unfoldBySlicing(x, geometry), [positions, -1]); // [O, ∏K·C_in]
    const g = tf.matMul(u, tf.reshape(dy, [positions, layer.outChannels]), true, false); // [∏K·C_in, C_out]
    return tf.reshape(g, [...layer.kernel, layer.inChannels, layer.outChannels]);
  }
  return tf.engine().runKernel(
    'Conv2DBackpropFilter',
    { x, dy },
    {
      strides: layer.stride,
      pad: [
        [0, 0],
        [pad[0], pad[0]],
        [pad[1], pad[1]],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      filterShape: [...layer.kernel, layer.inChannels, layer.outChannels],
    },
  ) as tf.Tensor;
}

/** The loop: slices of x (NHWC) and of the backpropagated tensor, one backprop per slice. */
function loopPerExampleNorms(layer: LayerConfig, x: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const norms = [];
    for (let n = 0; n < layer.batch; n++) {
      const g = weightGradient(layer, tf.slice(x, n, 1), tf.slice(v, n, 1));
      norms.push(tf.sum(tf.square(g)));
    }
    return tf.stack(norms);
  });
}

function loopGgnDiagonal(layer: LayerConfig, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let sum: tf.Tensor | null = null;
    for (let c = 0; c < rows; c++) {
      for (let n = 0; n < layer.batch; n++) {
        const row = tf.reshape(
          tf.slice(s, [c, n], [1, 1]),
          tf.slice(s, [c, n], [1, 1]).shape.slice(1),
        );
        const g2 = tf.square(weightGradient(layer, tf.slice(x, n, 1), row));
        sum = sum ? tf.add(sum, g2) : g2;
      }
    }
    // [K1, K2, C_in, C_out] → PyTorch's [C_out, C_in, K1, K2].
    return tf.transpose(sum!, [3, 2, 0, 1]);
  });
}

async function relativeDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = [await a.data(), await b.data()];
  console.log(
    `  first entries: TN ${Array.from(x.slice(0, 2)).join(', ')}; loop ${Array.from(y.slice(0, 2)).join(', ')}`,
  );
  let scale = 0;
  let worst = 0;
  for (let j = 0; j < y.length; j++) {
    scale = Math.max(scale, Math.abs(y[j]));
    worst = Math.max(worst, Math.abs(x[j] - y[j]));
  }
  return worst / (scale || 1);
}

async function main(): Promise<void> {
  const backend = await selectNodeBackend(['cpu']);
  tf.env().set('PROD', true);
  console.log(
    `backend ${backend.name}, loop over ${useUnfold ? 'unfold + matMul' : 'Conv2DBackpropFilter'}, batch ${batch}, factor rows C = ${rows}, median of ${runs} runs after 1 warm-up`,
  );
  for (const name of wanted) {
    const bench = file.layers.find((l) => l.name === name);
    if (!bench) throw new Error(`unknown layer ${name}`);
    const layer = benchLayerConfig(bench, batch);
    if (layer.groups !== 1 || layer.dilation.some((d) => d !== 1) || layer.input.length !== 2) {
      throw new Error(`${name}: the loop baseline takes 2-d layers with one group and no dilation`);
    }
    const out = layerOutputSize(layer);
    const xTorch = tensorOf([batch, layer.inChannels, ...layer.input], 1);
    const vTorch = tensorOf([batch, layer.outChannels, ...out], 2);
    const sTorch = tensorOf([rows, batch, layer.outChannels, ...out], 3);
    // The loop reads channels-last copies, made once outside the timing.
    const xLast = tf.transpose(xTorch, [0, 2, 3, 1]);
    const vLast = tf.transpose(vTorch, [0, 2, 3, 1]);
    const sLast = tf.transpose(sTorch, [0, 1, 3, 4, 2]);
    const cases: {
      op: 'per_example_grad_norm' | 'ggn_diagonal';
      inputs: Record<string, tf.Tensor>;
      loop: () => tf.Tensor;
    }[] = [
      {
        op: 'per_example_grad_norm',
        inputs: { x: xTorch, v: vTorch },
        loop: () => loopPerExampleNorms(layer, xLast, vLast),
      },
      {
        op: 'ggn_diagonal',
        inputs: { x: xTorch, s: sTorch },
        loop: () => loopGgnDiagonal(layer, xLast, sLast),
      },
    ];
    for (const c of cases) {
      const shapes = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, t.shape]));
      const net = simplify(
        OPERATIONS[c.op].build({ ...layer, kernel_size: layer.kernel, shapes }),
      ).network;
      const { plan, program } = compileNetwork(net, shapes);
      const exe = new Executable(program);
      const config = { runs, warmup: 1, maxRunMs: 600_000 };
      // Interleaved rounds (network, loop, network, …): machine noise hits both alike.
      const [tnTiming, loopTiming] = await timeInterleaved(
        [
          { name: 'tn', run: () => exe.run(c.inputs) },
          { name: 'loop', run: c.loop },
        ],
        config,
      );
      const tn = 'skipped' in tnTiming ? tnTiming.skipped : tnTiming;
      const loop = 'skipped' in loopTiming ? loopTiming.skipped : loopTiming;
      const [a, b] = [exe.run(c.inputs), c.loop()];
      const diff = await relativeDifference(a, b);
      tf.dispose([a, b]);
      exe.dispose();
      if (typeof tn === 'string' || typeof loop === 'string') {
        console.log(`${name} ${c.op}: ${typeof tn === 'string' ? tn : loop}`);
        continue;
      }
      console.log(
        `${name} ${c.op}: TN ${tn.medianMs.toFixed(1)} ms (${(plan.flops / 1e9).toFixed(3)} GFLOP dense-costed), ` +
          `loop ${loop.medianMs.toFixed(1)} ms, TN / loop ${(tn.medianMs / loop.medianMs).toFixed(3)}, max rel. diff ${diff.toExponential(1)}`,
      );
    }
    tf.dispose([xTorch, vTorch, sTorch, xLast, vLast, sLast]);
  }
}

await main();
