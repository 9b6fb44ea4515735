import { errorMessage, fail } from '../../core/errors.ts';
import type { BackendName } from '../../engine/backend.ts';
import { useEditor } from '../editor/store/editorStore.ts';
import { RunError, startRun, type RunHandle } from './runService.ts';
import { HISTORY_LIMIT, updateSettings, useRun } from './runStore.ts';
import { recordStepTimes } from '../common/stepTimes.ts';
import { useUi } from '../editor/store/uiStore.ts';
import { runTarget, type RunTarget } from './runTarget.ts';
import type { RunConfig, RunResult, UploadedTensor } from './runMessages.ts';
import { readUploads } from './uploads.ts';
import {
  CONFIRM_ABOVE_SECONDS,
  estimateJob,
  networkWarning,
  plannedFlops,
  recordRate,
  type RunEstimate,
} from './estimate.ts';
import { sameShape } from '../../core/tensor.ts';

/** What the run panel's buttons do; the worker does the work (runService.ts). */

let handle: RunHandle<RunResult> | undefined;

export function currentTarget(): RunTarget {
  const { doc, derived } = useEditor.getState();
  return runTarget(doc, derived);
}

/** Uploaded tensors must be exactly the network's inputs, in its shapes. */
export function checkUploadsFit(
  tensors: Record<string, UploadedTensor>,
  shapes: Record<string, number[]>,
): void {
  const want = Object.entries(shapes)
    .map(([n, s]) => `${n} [${s.join(', ')}]`)
    .join(', ');
  for (const [name, t] of Object.entries(tensors)) {
    const shape = shapes[name];
    if (!shape) fail(`uploaded input '${name}' is not read by the network (it reads ${want})`);
    if (!sameShape(shape, t.shape)) {
      fail(
        `uploaded input '${name}' has shape [${t.shape.join(', ')}]; the network needs [${shape.join(', ')}]`,
      );
    }
  }
}

export async function uploadInputs(files: readonly File[]): Promise<void> {
  try {
    const tensors = await readUploads(files);
    const { shapes } = currentTarget();
    if ('error' in shapes) fail(shapes.error as string);
    checkUploadsFit(tensors, shapes as Record<string, number[]>);
    useRun.setState({
      uploads: { files: files.map((f) => f.name), tensors },
      uploadError: undefined,
    });
    updateSettings({ inputMode: 'uploaded' });
  } catch (err) {
    useRun.setState({ uploadError: errorMessage(err) });
  }
}

export function clearUploads(): void {
  useRun.setState({ uploads: undefined, uploadError: undefined });
  updateSettings({ inputMode: 'seeded' });
}

function buildConfig(target: RunTarget, backend?: BackendName): RunConfig {
  const { settings, uploads } = useRun.getState();
  if ('error' in target.shapes) fail(target.shapes.error as string);
  let inputs: RunConfig['inputs'];
  if (settings.inputMode === 'uploaded') {
    if (!uploads)
      fail('no inputs uploaded: upload .npy or .json files, or use seeded random inputs');
    inputs = { kind: 'uploaded', tensors: uploads.tensors };
  } else {
    inputs = { kind: 'seeded', seed: settings.seed };
  }
  return {
    network: target.network,
    unsimplified: target.unsimplified,
    inputs,
    backend: backend ?? settings.backend,
    allowFallback: backend ? false : settings.allowFallback,
    repeats: settings.repeats,
    warmup: settings.warmup,
    compareBuiltin: settings.compareBuiltin,
    op: target.op,
    layer: target.layer,
    builtinInputs: target.builtinInputs,
    memoryBudgetBytes: Math.max(1, settings.budgetMiB) * 2 ** 20,
    // The plan panel's algorithm, so the step times it shows after the run are its steps'.
    planAlgorithm: useUi.getState().algorithm,
  };
}

/** The estimate of a job before it starts (planned FLOPs over this device's measured rate). */
export function estimateConfig(config: RunConfig): RunEstimate {
  return estimateJob(
    {
      flops: plannedFlops(config.network),
      unsimplifiedFlops: config.unsimplified ? plannedFlops(config.unsimplified) : undefined,
      builtin:
        config.compareBuiltin !== false && config.op !== undefined && config.layer !== undefined,
      repeats: config.repeats ?? 5,
      warmup: config.warmup ?? 1,
    },
    config.backend ?? 'webgpu',
  );
}

/**
 * Runs the editor's current network. `backend` forces one (the fallback offer after a
 * GPU failure); otherwise the panel's choice is used. A run estimated to take longer than
 * CONFIRM_ABOVE_SECONDS waits for confirmRun() unless `confirmed`.
 */
export function runCurrent(backend?: BackendName, confirmed = false): void {
  if (useRun.getState().active) return;
  const target = currentTarget();
  let config: RunConfig;
  let estimate: RunEstimate | undefined;
  try {
    config = buildConfig(target, backend);
  } catch (err) {
    useRun.setState({
      confirm: undefined,
      failure: { kind: 'invalid', message: errorMessage(err), label: target.label },
    });
    return;
  }
  // A network the worker will refuse (limits, memory budget) goes straight to it, so the
  // refusal names the step before anything is allocated; there is nothing to estimate.
  if (networkWarning(config.network, config.memoryBudgetBytes ?? 2 ** 30) === undefined) {
    try {
      estimate = estimateConfig(config);
    } catch {
      estimate = undefined;
    }
  }
  if (!confirmed && estimate && estimate.seconds > CONFIRM_ABOVE_SECONDS) {
    useRun.setState({ confirm: { label: target.label, estimate, backend }, failure: undefined });
    return;
  }
  if (backend) updateSettings({ backend });
  const run = startRun(config, (progress) => {
    useRun.setState((s) => (s.active?.id === run.id ? { active: { ...s.active, progress } } : {}));
  });
  handle = run;
  useRun.setState({
    active: {
      id: run.id,
      label: target.label,
      startedAt: performance.now(),
      estimateSeconds: estimate?.seconds,
    },
    confirm: undefined,
    failure: undefined,
  });
  run.result.then(
    (result) => {
      if (handle === run) handle = undefined;
      recordRate(result.backend, result.plan.structuredFlops, result.timeTn.median);
      recordStepTimes(target.network, result);
      useRun.setState((s) => ({
        active: undefined,
        history: [...s.history, { id: run.id, label: target.label, op: target.op, result }].slice(
          -HISTORY_LIMIT,
        ),
      }));
    },
    (err: unknown) => {
      if (handle === run) handle = undefined;
      const failure =
        err instanceof RunError
          ? { kind: err.kind, message: err.message, fallback: err.fallback, stage: err.stage }
          : { kind: 'internal' as const, message: errorMessage(err) };
      useRun.setState({ active: undefined, failure: { ...failure, label: target.label } });
    },
  );
}

/** Starts the run that waits for confirmation. */
export function confirmRun(): void {
  const pending = useRun.getState().confirm;
  if (pending) runCurrent(pending.backend, true);
}

export function declineRun(): void {
  useRun.setState({ confirm: undefined });
}

export function cancelRun(): void {
  if (!handle) return;
  useRun.setState((s) => (s.active ? { active: { ...s.active, cancelling: true } } : {}));
  handle.cancel();
}

export function dismissFailure(): void {
  useRun.setState({ failure: undefined });
}
