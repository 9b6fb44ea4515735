/**
 * Planner speed: median planning time of every fixture network (the library's network
 * of each PyTorch case, structured objective, 'auto') and of random networks of 8, 10,
 * 12 (and 14, 20) tensors per algorithm, with each algorithm's cost relative to the
 * optimum. Run with `npm run bench:planner` (npx tsx scripts/bench-planner.ts).
 * Options: --runs N (repetitions per network, default 7), --networks N (random networks
 * per size, default 8), --sizes 8,10,12,14,20.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Network, Tensor } from '../src/core/network.ts';
import { getOperation } from '../src/core/ops/index.ts';
import { planNetwork, type PlanAlgorithm, type PlanOptions } from '../src/core/planner/index.ts';
import { seededUniform } from '../src/core/random.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const RUNS = Number(option('runs', '7'));
const NETWORKS = Number(option('networks', '8'));
const SIZES = option('sizes', '8,10,12,14,20').split(',').map(Number);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall time of planning `net` (after one warm-up run). */
function time(
  net: Network,
  options: PlanOptions,
): { ms: number; plan: ReturnType<typeof planNetwork> } {
  let plan = planNetwork(net, options);
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    plan = planNetwork(net, options);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), plan };
}

const ratio = (r: number) => `×${r < 1000 ? r.toFixed(3) : r.toExponential(1)}`;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(7);

// --- fixture networks -------------------------------------------------------------
interface Case {
  id: string;
  request: { op: string; tensors: Record<string, { shape: number[] }> } & Record<string, unknown>;
}
const fixturePath = fileURLToPath(new URL('../test/fixtures/ops.json', import.meta.url));
const cases = (JSON.parse(readFileSync(fixturePath, 'utf8')) as { cases: Case[] }).cases;

console.log(`Planner timings, median of ${RUNS} runs after a warm-up (Node ${process.version}).\n`);
console.log('Fixture networks (library network of each case, structured objective, auto):');
console.log(`${'case'.padEnd(40)} tensors  algorithm      ms`);
const fixtureTimes: number[] = [];
let worstFixture = { id: '', ms: 0 };
for (const c of cases) {
  const shapes = Object.fromEntries(
    Object.entries(c.request.tensors).map(([k, t]) => [k, t.shape]),
  );
  const net = getOperation(c.request.op).build({ ...c.request, shapes });
  const { ms, plan } = time(net, {});
  fixtureTimes.push(ms);
  if (ms > worstFixture.ms) worstFixture = { id: c.id, ms };
  console.log(
    `${c.id.padEnd(40)} ${String(net.tensors.length).padStart(7)}  ${plan.algorithm.padEnd(12)} ${fmt(ms)}`,
  );
}
console.log(
  `fixtures: median ${fmt(median(fixtureTimes)).trim()} ms, slowest ${worstFixture.id} ${fmt(worstFixture.ms).trim()} ms\n`,
);

// --- random networks --------------------------------------------------------------
/**
 * A connected random network: n dense tensors on a random tree plus extra edges, about
 * 1.6 legs per tensor shared with others, some hyperedges (an index on three tensors),
 * a few open legs, sizes 2..8.
 */
function randomNetwork(n: number, seed: number): Network {
  const random = seededUniform(seed);
  const pick = (k: number) => Math.floor(random() * k);
  const legs: string[][] = Array.from({ length: n }, () => []);
  const sizes: Record<string, number> = {};
  let next = 0;
  const edge = (members: number[]) => {
    const name = `e${next++}`;
    sizes[name] = 2 + pick(7);
    for (const t of new Set(members)) legs[t].push(name);
    return name;
  };
  for (let t = 1; t < n; t++) edge([t, pick(t)]);
  for (let e = 0; e < Math.round(0.6 * n); e++) edge([pick(n), pick(n)]);
  for (let e = 0; e < Math.round(0.15 * n); e++) edge([pick(n), pick(n), pick(n)]);
  const output: string[] = [];
  for (let e = 0; e < 3; e++) output.push(edge([pick(n)]));
  const tensors: Tensor[] = legs.map((l, j) => ({
    id: `T${j}`,
    label: `T${j}`,
    kind: 'data',
    source: `T${j}`,
    transforms: [],
    legs: l,
  }));
  return { sizes, tensors, output, resultShape: output.map((l) => sizes[l]) };
}

const ALGORITHMS: PlanAlgorithm[] = [
  'sequential',
  'greedy',
  'optimal',
  'branch-bound',
  'random-greedy',
  'auto',
];
/** Past this size the exact DP takes seconds; costs are then relative to the best found. */
const OPTIMAL_UP_TO = 14;
console.log(
  `Random dense networks (${NETWORKS} per size; time: median over networks of the per-network median;`,
);
console.log(
  `cost: median over networks of FLOPs / optimal FLOPs (past ${OPTIMAL_UP_TO} tensors: / best FLOPs any algorithm`,
);
console.log(
  'found); dense objective; branch-bound and random-greedy are anytime searches with the default',
);
console.log('100 ms budget):');
console.log(`${'tensors'.padEnd(8)} ${ALGORITHMS.map((a) => a.padStart(14)).join('')}`);
for (const n of SIZES) {
  const nets = Array.from({ length: NETWORKS }, (_, j) => randomNetwork(n, 1000 * n + j));
  const times = new Map<PlanAlgorithm, number[]>();
  const flops = new Map<PlanAlgorithm, number[]>();
  for (const algorithm of ALGORITHMS) {
    if (algorithm === 'optimal' && n > OPTIMAL_UP_TO) continue;
    nets.forEach((net) => {
      const { ms, plan } = time(net, { algorithm, objective: 'dense' });
      times.set(algorithm, [...(times.get(algorithm) ?? []), ms]);
      flops.set(algorithm, [...(flops.get(algorithm) ?? []), plan.flops]);
    });
  }
  const reference = nets.map((_, j) => Math.min(...[...flops.values()].map((f) => f[j])));
  const cell = (a: PlanAlgorithm, f: (a: PlanAlgorithm) => string) =>
    (times.has(a) ? f(a) : '—').padStart(14);
  const timeRow = ALGORITHMS.map((a) =>
    cell(a, (x) => `${fmt(median(times.get(x)!)).trim()} ms`),
  ).join('');
  const costRow = ALGORITHMS.map((a) =>
    cell(a, (x) => ratio(median(flops.get(x)!.map((f, j) => f / reference[j])))),
  ).join('');
  const autoPick = planNetwork(nets[0], { objective: 'dense' }).algorithm;
  console.log(`${String(n).padEnd(8)} ${timeRow}   (auto → ${autoPick})`);
  console.log(`${''.padEnd(8)} ${costRow}`);
}
