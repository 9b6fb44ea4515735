import {
  buildDiagram,
  type DiagramCell,
  type RunCell,
  type RunResult as CellResult,
} from '../../../core/notebook/index.ts';
import { recogniseNetwork } from '../../../core/recognise.ts';
import type { Network } from '../../../core/network.ts';
import type { RunConfig, RunResult } from '../../run/runMessages.ts';
import { diagramModel } from './diagramModel.ts';

/**
 * How a run cell is evaluated with the run service (src/ui/run): one job per term of its
 * diagram (a derivative by a repeated input is a sum, and the service runs one network at
 * a time), each checked on its own, and what the cell keeps of the results.
 */
export type RunPlan =
  | {
      ok: true;
      configs: RunConfig[];
      /** What the numbers mean when it is not the plain case. */
      note?: string;
    }
  | { ok: false; error: string };

/** The single network of the diagram a run cell estimates. */
function estimatedNetwork(estimated: DiagramCell): Network | string {
  const model = diagramModel(estimated);
  if (!model.ok) return `the estimated diagram '${estimated.id}': ${model.error}`;
  if (model.terms.length !== 1 || model.terms[0].coefficient !== 1)
    return `the estimated diagram '${estimated.id}' is a sum of networks; compare with one network`;
  return model.terms[0].network;
}

export function runPlan(cell: RunCell, diagram: DiagramCell, estimated?: DiagramCell): RunPlan {
  const model = diagramModel(diagram);
  if (!model.ok) return { ok: false, error: model.error };
  const terms = model.terms;
  let estimates: Network | undefined;
  if (cell.estimates !== undefined) {
    if (!estimated)
      return { ok: false, error: `there is no diagram '${cell.estimates}' to compare with` };
    const found = estimatedNetwork(estimated);
    if (typeof found === 'string') return { ok: false, error: found };
    if (terms.length !== 1 || terms[0].coefficient !== 1)
      return {
        ok: false,
        error: 'a diagram that is a sum of networks cannot be compared with the one it estimates',
      };
    estimates = found;
  }
  const onlySimplified = diagram.steps.every((s) => s.kind === 'simplify');
  const single = terms.length === 1;
  // The built-in computes the preset's operation; simplification keeps its value (up to a
  // reshape), any other step changes it, and then the check is the float64 reference.
  const recognised =
    single && !(diagram.source.kind === 'preset' && onlySimplified)
      ? recogniseNetwork(
          terms[0].network,
          diagram.source.kind === 'preset' ? diagram.source.layer : undefined,
        )
      : undefined;
  const op =
    diagram.source.kind === 'preset' && onlySimplified && single
      ? { op: diagram.source.op, layer: diagram.source.layer }
      : recognised
        ? { op: recognised.op, layer: recognised.layer, builtinInputs: recognised.inputs }
        : {};
  let unsimplified: Network | undefined;
  if (single && diagram.steps.some((s) => s.kind === 'simplify')) {
    const before = buildDiagram({
      source: diagram.source,
      steps: diagram.steps.filter((s) => s.kind !== 'simplify'),
    });
    if (before.ok && before.sum.terms.length === 1) unsimplified = before.sum.terms[0].network;
  }
  const configs: RunConfig[] = terms.map(({ network }) => ({
    network,
    ...(unsimplified ? { unsimplified } : {}),
    ...(estimates ? { estimates } : {}),
    inputs: { kind: 'seeded', seed: cell.seed, distribution: cell.inputs },
    ...(cell.backend === 'auto' ? {} : { backend: cell.backend, allowFallback: false }),
    repeats: cell.repeats,
    warmup: cell.warmup,
    compareBuiltin: cell.compareBuiltin,
    ...op,
  }));
  const notes: string[] = [];
  if (!single) {
    notes.push(
      `The diagram is a sum of ${terms.length} networks: each is run and checked on its own, and the time is their total.`,
    );
  }
  const c = terms[0]?.coefficient ?? 1;
  if (single && c !== 1) notes.push(`The constant factor ${c} of the diagram is left out.`);
  return { ok: true, configs, ...(notes.length ? { note: notes.join(' ') } : {}) };
}

const max = (xs: (number | undefined)[]): number | null =>
  xs.some((x) => x === undefined) ? null : Math.max(...(xs as number[]));

/** What the cell keeps of its jobs' results (one per term). */
export function cellResult(results: readonly RunResult[], at: Date = new Date()): CellResult {
  const first = results[0];
  const single = results.length === 1;
  return {
    backend: first.backend,
    at: at.toISOString(),
    shape: [...first.outputShape],
    maxError: max(results.map((r) => (r.against === 'none' ? undefined : r.maxError))),
    timeTnMs: results.reduce((s, r) => s + r.timeTn.median, 0),
    timeBuiltinMs: single ? (first.timeBuiltin?.median ?? null) : null,
    flops: results.reduce((s, r) => s + r.plan.flops, 0),
    peakBytes: Math.max(...results.map((r) => r.peakBytesTn)),
    ...(single && first.estimate
      ? {
          relativeError: first.estimate.relativeError,
          relativeCost: first.estimate.relativeCost,
        }
      : {}),
  };
}
