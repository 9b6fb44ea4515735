/**
 * What the editor recomputes after a hyper-parameter edit, for every preset: rebuild the
 * network from the form, replay a VJP and the simplifier to the end (derive), plan the
 * contraction, and prepare the views (both einsum styles, the formula, the diagram and
 * its dagre layout). The target is one frame (16 ms) for derive + simplify + plan.
 *
 *   npx tsx scripts/bench-editor.ts [--runs 200]
 */
import { formatEinsum } from '../src/core/einsum/index.ts';
import { planNetwork } from '../src/core/planner/index.ts';
import { LIVE_PLAN_BUDGET_MS } from '../src/ui/editor/model/planBudget.ts';
import { derive } from '../src/ui/editor/model/replayDoc.ts';
import { defaultDoc } from '../src/ui/editor/model/doc.ts';
import type { Sketch } from '../src/core/diagram/sketch.ts';
import type { Step } from '../src/core/notebook/index.ts';
import { buildFromForm, layerToForm } from '../src/ui/editor/model/form.ts';
import { buildDiagram } from '../src/ui/diagram/graph.ts';
import { exportLatex } from '../src/core/export/index.ts';
import { layoutDiagram } from '../src/ui/diagram/diagramLayout.ts';
import { presetSource, PRESETS } from '../src/core/diagram/presets.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const WARMUP = 20;
const FRAME_MS = 16;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  preset: string;
  tensors: string;
  derive: number;
  plan: number;
  total: number;
  views: number;
}

function pipelineFor(doc: Sketch): Step[] {
  const net = derive(doc).network;
  const data = net.tensors.find((t) => t.kind === 'data' && t.id !== 'v');
  const steps: Step[] = [];
  if (data && data.kind === 'data') steps.push({ kind: 'vjp', source: data.source, term: 0 });
  steps.push({ kind: 'simplify' });
  return steps;
}

const rows: Row[] = [];
for (const preset of PRESETS) {
  const base: Sketch = {
    ...defaultDoc(),
    diagram: { source: presetSource(preset.id), steps: [] },
  };
  const actions = pipelineFor(base);
  const values = layerToForm(preset.layer);
  const t = {
    derive: [] as number[],
    plan: [] as number[],
    views: [] as number[],
    total: [] as number[],
  };
  let sizes = '';
  for (let run = 0; run < WARMUP + RUNS; run++) {
    // The edit: the batch size changes, so nothing can be reused from the last run.
    const edited = { ...values, batch: String(8 + (run % 2)) };
    const t0 = performance.now();
    const built = buildFromForm(preset.op, edited, 'batch');
    if (!built.ok) throw new Error(`${preset.id}: ${JSON.stringify(built.errors)}`);
    const derived = derive({
      ...base,
      diagram: { source: presetSource(preset.id, built.layer), steps: actions },
    });
    const t1 = performance.now();
    const plan = planNetwork(derived.network, { timeBudgetMs: LIVE_PLAN_BUDGET_MS });
    const t2 = performance.now();
    formatEinsum(derived.network, 'named');
    formatEinsum(derived.network, 'letters');
    exportLatex({ terms: derived.formula });
    layoutDiagram(derived.network, buildDiagram(derived.network));
    const t3 = performance.now();
    if (run >= WARMUP) {
      t.derive.push(t1 - t0);
      t.plan.push(t2 - t1);
      t.total.push(t2 - t0);
      t.views.push(t3 - t2);
    }
    sizes = `${derive({ ...base, diagram: { ...base.diagram, steps: actions.slice(0, -1) } }).network.tensors.length}→${derived.network.tensors.length} (${plan.algorithm})`;
  }
  rows.push({
    preset: preset.id,
    tensors: sizes,
    derive: median(t.derive),
    plan: median(t.plan),
    total: median(t.total),
    views: median(t.views),
  });
}

const pad = (s: string, n: number) => s.padEnd(n);
const ms = (x: number) => x.toFixed(2).padStart(7);
console.log(
  `editor recompute after an edit, median of ${RUNS} runs (ms); pipeline: rebuild → VJP → simplify to the end → plan`,
);
console.log(
  `${pad('preset', 30)}${pad('tensors', 22)}${'derive'.padStart(7)}${'plan'.padStart(8)}${'total'.padStart(8)}   ${'views'.padStart(7)}`,
);
for (const r of rows) {
  const flag = r.total < FRAME_MS ? '' : `  over ${FRAME_MS} ms`;
  console.log(
    `${pad(r.preset, 30)}${pad(r.tensors, 22)}${ms(r.derive)} ${ms(r.plan)} ${ms(r.total)}   ${ms(r.views)}${flag}`,
  );
}
const worst = Math.max(...rows.map((r) => r.total));
console.log(
  `worst total ${worst.toFixed(2)} ms (target < ${FRAME_MS} ms); views = einsum ×2 + formula + diagram + dagre layout, not in the total`,
);
process.exitCode = worst < FRAME_MS ? 0 : 1;
