/**
 * Prints, for every layer of test/fixtures/layers.json that the paper's rules simplify
 * (kinds dense, down and mixed, and 1×1 convolutions), the einsum of its forward pass
 * before and after simplification and the step log. Symbolic only: nothing is evaluated.
 *   npx tsx scripts/simplify-layers.ts [--all] [--steps]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatEinsum } from '../src/core/einsum/index.ts';
import { benchLayerConfig, buildLayerNetwork, type BenchLayer } from '../src/core/layer.ts';
import { simplify } from '../src/core/rewrite/index.ts';

const path = fileURLToPath(new URL('../test/fixtures/layers.json', import.meta.url));
const { batch, layers } = JSON.parse(readFileSync(path, 'utf8')) as {
  batch: number;
  layers: BenchLayer[];
};
const all = process.argv.includes('--all');
const showSteps = process.argv.includes('--steps');

const pointwise = (l: BenchLayer) =>
  l.kernel.every((k, d) => k === 1 && l.stride[d] === 1 && l.padding[d] === 0);

for (const layer of layers) {
  if (!all && !['dense', 'down', 'mixed'].includes(layer.kind) && !pointwise(layer)) continue;
  const net = buildLayerNetwork('conv_forward', benchLayerConfig(layer, batch));
  const { network, steps } = simplify(net);
  const patterns = network.tensors.filter((t) => t.kind === 'index_pattern').map((t) => t.label);
  console.log(
    `${layer.name} (${layer.kind}; K=${layer.kernel.join('×')}, S=${layer.stride.join('×')}, P=${layer.padding.join('×')})`,
  );
  console.log(`  before: ${formatEinsum(net)}`);
  console.log(`  after:  ${formatEinsum(network)}`);
  console.log(
    `  ${steps.length} steps; index patterns left: ${patterns.length ? patterns.join(', ') : 'none'}`,
  );
  if (showSteps)
    for (const { step } of steps) console.log(`    [${step.rule}] ${step.explanation}`);
}
