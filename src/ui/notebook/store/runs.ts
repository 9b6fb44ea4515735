import { create } from 'zustand';
import { errorMessage } from '../../../core/errors.ts';
import type { BackendName } from '../../../engine/backend.ts';
import { RunError, startRun, type RunHandle } from '../../run/runService.ts';
import type { RunResult } from '../../run/runMessages.ts';
import { cellResult, runPlan, type RunPlan } from '../model/runPlan.ts';
import { drawOf, mergeDraws } from '../model/runDraws.ts';
import { docOf, setRunResult, useNotebook, type Scope } from './notebookStore.ts';

/**
 * Runs of run cells, through the run service (src/ui/run: a Web Worker with tfjs, one job
 * at a time). What a run is doing (progress, the full results of this visit, a failure)
 * lives here; the cell itself keeps its last results (the document's lastResult), which
 * are saved and exported with the notebook.
 */
export interface RunState {
  status: 'running' | 'done' | 'failed';
  fraction: number;
  message: string;
  /** Every job's result (one per term of the diagram). */
  results?: RunResult[];
  note?: string;
  failure?: { message: string; fallback?: BackendName; cancelled: boolean };
}

export const useRuns = create<{ runs: Record<string, RunState> }>()(() => ({ runs: {} }));

const handles = new Map<string, RunHandle[]>();

export function runKey(scope: Scope, cellId: string): string {
  return scope.kind === 'mine' ? `mine/${cellId}` : `tutorial:${scope.slug}/${cellId}`;
}

function put(key: string, state: RunState | undefined): void {
  const runs = { ...useRuns.getState().runs };
  if (state) runs[key] = state;
  else delete runs[key];
  useRuns.setState({ runs });
}

function patch(key: string, change: Partial<RunState>): void {
  const old = useRuns.getState().runs[key];
  if (old) put(key, { ...old, ...change });
}

/**
 * Runs a run cell's diagram (each term of it in turn). `backend` overrides the cell's
 * choice (the "try another backend" offer after a failure).
 */
export async function runCell(scope: Scope, cellId: string, backend?: BackendName): Promise<void> {
  const key = runKey(scope, cellId);
  if (useRuns.getState().runs[key]?.status === 'running') return;
  const doc = docOf(useNotebook.getState(), scope);
  const cell = doc?.cells.find((c) => c.id === cellId);
  if (!doc || cell?.kind !== 'run') return;
  const diagram = doc.cells.find((c) => c.id === cell.diagram);
  if (diagram?.kind !== 'diagram') return;
  const found = doc.cells.find((c) => c.id === cell.estimates);
  const estimated = found?.kind === 'diagram' ? found : undefined;
  const asked = backend ? { ...cell, backend } : cell;
  // One plan per seeded draw; any draw that cannot be planned stops the run before it starts.
  const plans: Extract<RunPlan, { ok: true }>[] = [];
  for (let j = 0; j < cell.draws; j++) {
    const draw = drawOf(asked, diagram, j);
    const plan = runPlan(draw.cell, draw.diagram, estimated);
    if (!plan.ok) {
      const which = cell.draws > 1 && j > 0 ? `draw ${j + 1}: ` : '';
      put(key, {
        status: 'failed',
        fraction: 0,
        message: '',
        failure: { message: `${which}${plan.error}`, cancelled: false },
      });
      return;
    }
    plans.push(plan);
  }
  const note = plans[0].note;
  const total = plans.reduce((n, p) => n + p.configs.length, 0);
  put(key, { status: 'running', fraction: 0, message: 'starting', note });
  const list: RunHandle[] = [];
  handles.set(key, list);
  const results: RunResult[] = [];
  const draws: ReturnType<typeof cellResult>[] = [];
  try {
    let done = 0;
    for (const [d, plan] of plans.entries()) {
      const drawResults: RunResult[] = [];
      for (const [j, config] of plan.configs.entries()) {
        const handle = startRun(config, (p) => {
          const draw = plans.length > 1 ? `draw ${d + 1} of ${plans.length}: ` : '';
          const term = plan.configs.length > 1 ? `term ${j + 1} of ${plan.configs.length}: ` : '';
          patch(key, {
            fraction: (done + p.fraction) / total,
            message: `${draw}${term}${p.message}`,
          });
        });
        list.push(handle);
        drawResults.push(await handle.result);
        done++;
      }
      results.push(...drawResults);
      draws.push(cellResult(drawResults));
    }
    setRunResult(scope, cellId, mergeDraws(draws));
    // The details of this visit are those of the first draw (one job per term).
    put(key, {
      status: 'done',
      fraction: 1,
      message: 'done',
      results: results.slice(0, plans[0].configs.length),
      note,
    });
  } catch (err) {
    const failure =
      err instanceof RunError
        ? { message: err.message, fallback: err.fallback, cancelled: err.kind === 'cancelled' }
        : { message: errorMessage(err), cancelled: false };
    put(key, { status: 'failed', fraction: 0, message: '', failure, note });
  } finally {
    if (handles.get(key) === list) handles.delete(key);
  }
}

export function cancelRun(scope: Scope, cellId: string): void {
  for (const h of handles.get(runKey(scope, cellId)) ?? []) h.cancel();
}

/** Runs every run cell of the document, in order (the service queues them). */
export async function runAll(scope: Scope): Promise<void> {
  const doc = docOf(useNotebook.getState(), scope);
  if (!doc) return;
  for (const cell of doc.cells) if (cell.kind === 'run') await runCell(scope, cell.id);
}
