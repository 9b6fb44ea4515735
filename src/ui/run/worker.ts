/// <reference lib="webworker" />
import type { BackendName } from '../../engine/backend.ts';
import { runBenchJob } from './benchJob.ts';
import { classifyFailure } from './failures.ts';
import { CancelledError, runJob, type JobContext } from './runJob.ts';
import type { FromWorker, RunStage, ToWorker } from './runMessages.ts';
import { activateBackend, takeGpuTrouble } from './workerBackend.ts';
import { exposeWorkerMemory } from './workerMemory.ts';

/**
 * The evaluation worker: takes one job at a time from runService.ts, runs it with tfjs
 * and posts progress, the result or what went wrong. Cancel messages are read at the
 * job's checkpoints, which yield to this message loop between runs.
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;
const cancelled = new Set<number>();
exposeWorkerMemory(scope);

function post(msg: FromWorker): void {
  scope.postMessage(msg);
}

async function start(id: number, job: Extract<ToWorker, { type: 'start' }>['job']): Promise<void> {
  let stage: RunStage | undefined;
  let backend: BackendName | undefined;
  const ctx: JobContext = {
    selectBackend: async (preferred, allowFallback) => {
      const chosen = await activateBackend(preferred, allowFallback);
      backend = chosen.name;
      return chosen;
    },
    progress: (progress) => {
      stage = progress.stage;
      post({ type: 'progress', id, progress });
    },
    checkpoint: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (cancelled.has(id)) throw new CancelledError();
      takeGpuTrouble();
    },
  };
  try {
    const result =
      job.kind === 'run' ? await runJob(job.config, ctx) : await runBenchJob(job.config, ctx);
    // A device lost during the last run shows up as an event after its data arrived.
    await ctx.checkpoint();
    post({ type: 'done', id, result });
  } catch (err) {
    // Give a lost device's event the chance to arrive, so the failure says what happened.
    await new Promise((resolve) => setTimeout(resolve, 20));
    let reason = err;
    try {
      takeGpuTrouble();
    } catch (gpu) {
      reason = gpu;
    }
    const failure = classifyFailure(reason, stage, backend);
    if (failure.kind === 'cancelled') post({ type: 'cancelled', id });
    else post({ type: 'failed', id, failure });
  } finally {
    cancelled.delete(id);
  }
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'cancel') cancelled.add(msg.id);
  else void start(msg.id, msg.job);
});
