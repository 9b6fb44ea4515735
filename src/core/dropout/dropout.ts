import { fail } from '../errors.ts';
import {
  checkNetwork,
  cloneNetwork,
  type DataTensor,
  type IndexPatternTensor,
  type Network,
  type ScalarTensor,
} from '../network.ts';
import { pathCost, sequentialPath, type LinearPath } from '../planner/cost.ts';
import { appendTransform, carriers, finish, freshTensorId, isOpen } from '../rewrite/edit.ts';
import type { RewriteStep } from '../rewrite/rule.ts';
import { keptCount, sampleKept } from './random.ts';

/**
 * Tensor dropout, the paper's hardware-efficient randomised backpropagation: a summed
 * index j of size L is thinned to m positions drawn uniformly without replacement, and the
 * network is scaled by L/m. Each position is kept with probability m/L, so the expected
 * value of the thinned sum is the full sum: an unbiased estimate (e.g. of a weight VJP by
 * keeping some spatial positions, or of an input VJP by keeping some output channels)
 * whose contractions all shrink by m/L along j. Symbolically: data tensors on j get a
 * `select` transform (a gather), Π gets the kept positions along that role, and a scalar
 * L/m joins the network. Open legs are refused: thinning one would drop entries of the
 * result rather than terms of a sum. Legs on a δ are refused too: a δ ties j to its other
 * legs, thin one of those instead (or simplify the delta away first).
 */

export interface DropoutResult {
  network: Network;
  step: RewriteStep;
}

function validate(net: Network, index: string, keep: readonly number[]): void {
  const size = net.sizes[index];
  const on = carriers(net, index);
  if (on.length === 0) fail(`no tensor of the network carries index '${index}'`);
  if (isOpen(net, index)) {
    fail(
      `'${index}' is an open leg: dropping it would zero entries of the result; thin a summed index instead`,
    );
  }
  const delta = on.find((t) => t.kind === 'delta');
  if (delta)
    fail(
      `'${index}' is on a Kronecker delta, which ties it to other legs: simplify the delta away or thin another index`,
    );
  const twice = on.find((t) => t.legs.filter((l) => l === index).length > 1);
  if (twice) fail(`'${index}' appears twice on ${twice.label}`);
  if (keep.length === 0) fail(`dropout must keep at least one position of '${index}'`);
  const bad = keep.find((j) => !Number.isInteger(j) || j < 0 || j >= size);
  if (bad !== undefined) fail(`kept position ${bad} is outside 0..${size - 1} of '${index}'`);
  if (new Set(keep).size !== keep.length) fail(`kept positions of '${index}' repeat`);
}

/** Thins `index` to the given positions and rescales; returns the network and its logged step. */
export function dropoutStep(net: Network, index: string, keep: readonly number[]): DropoutResult {
  checkNetwork(net);
  validate(net, index, keep);
  const out = cloneNetwork(net);
  const size = net.sizes[index];
  const m = keep.length;
  const on = carriers(out, index);
  for (const t of on) {
    const axis = t.legs.indexOf(index);
    if (t.kind === 'data') {
      appendTransform(t as DataTensor, { kind: 'select', axis, indices: [...keep] });
    } else if (t.kind === 'index_pattern') {
      const p = t as IndexPatternTensor;
      const role = p.roles[axis];
      const before = p.keep?.[role];
      p.keep = { ...p.keep, [role]: before ? keep.map((j) => before[j]) : [...keep] };
    }
  }
  out.sizes[index] = m;
  const added: string[] = [];
  if (m < size) {
    const scale: ScalarTensor = {
      id: freshTensorId(out, 'dropout_scale'),
      label: `${size}/${m}`,
      kind: 'scalar',
      legs: [],
      value: size / m,
    };
    out.tensors.push(scale);
    added.push(scale.id);
  }
  const shown = keep.length <= 12 ? ` (${keep.join(', ')})` : '';
  return finish(
    net,
    out,
    'tensor_dropout',
    `keep ${m} of ${size} positions of ${index}${shown} on ${on.map((t) => t.label).join(', ')} and scale by ${size}/${m}: each position is kept with probability ${m}/${size}, so the estimate of the sum over ${index} is unbiased`,
    [...on.map((t) => t.id), ...added],
    [index],
  );
}

/** The network with `index` thinned to the kept positions and rescaled (see dropoutStep). */
export function tensorDropout(net: Network, index: string, keep: readonly number[]): Network {
  return dropoutStep(net, index, keep).network;
}

/** Dropout with a seeded uniform sample of round(keepFraction·L) positions (at least one). */
export function randomTensorDropout(
  net: Network,
  index: string,
  keepFraction: number,
  seed: number,
): DropoutResult & { keep: number[] } {
  const size = net.sizes[index];
  if (size === undefined) fail(`no tensor of the network carries index '${index}'`);
  const keep = sampleKept(size, keptCount(size, keepFraction), seed);
  return { ...dropoutStep(net, index, keep), keep };
}

export interface DropoutCost {
  /** FLOPs of the network as it is. */
  fullFlops: number;
  /** FLOPs once the index is thinned to `keptSize` positions. */
  flops: number;
  size: number;
  keptSize: number;
  /** flops / fullFlops. */
  ratio: number;
}

/**
 * Cost of the thinned network along a contraction path (operand order unless given), in
 * the dense-cost convention of the planner. The sample size is fixed by the fraction, so
 * this is also the expected cost; every pairwise step that carries the index shrinks by
 * keptSize/size, so the cost falls with the keep fraction.
 */
export function dropoutCost(
  net: Network,
  index: string,
  keepFraction: number,
  path?: LinearPath,
): DropoutCost {
  const size = net.sizes[index];
  if (size === undefined || carriers(net, index).length === 0)
    fail(`no tensor of the network carries index '${index}'`);
  const keptSize = keptCount(size, keepFraction);
  const legs = net.tensors.map((t) => t.legs);
  const route = path ?? sequentialPath(net.tensors.length);
  const fullFlops = pathCost(legs, net.output, net.sizes, route).flops;
  const flops = pathCost(legs, net.output, { ...net.sizes, [index]: keptSize }, route).flops;
  return { fullFlops, flops, size, keptSize, ratio: flops / fullFlops };
}
