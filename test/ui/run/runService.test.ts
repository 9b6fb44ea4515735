import { describe, expect, it } from 'vitest';
import { RunError, RunService, type WorkerLike } from '../../../src/ui/run/runService.ts';
import type {
  FromWorker,
  RunConfig,
  RunResult,
  ToWorker,
} from '../../../src/ui/run/runMessages.ts';

/** A worker the test drives by hand: it records what it was sent and replies on demand. */
class FakeWorker implements WorkerLike {
  sent: ToWorker[] = [];
  terminated = false;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    (this.listeners[type] ??= []).push(listener);
  }
  reply(data: FromWorker): void {
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  crash(message: string): void {
    for (const l of this.listeners.error ?? []) l({ message } as never);
  }
}

const config = {
  network: { sizes: {}, tensors: [], output: [], resultShape: [] },
  inputs: { kind: 'seeded', seed: 1 },
} as RunConfig;
const result = { backend: 'webgpu', against: 'none' } as RunResult;
const tick = () => new Promise((r) => setTimeout(r, 0));

function service(grace = 50) {
  const workers: FakeWorker[] = [];
  const s = new RunService(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    { cancelGraceMs: grace },
  );
  return { s, workers };
}

describe('RunService', () => {
  it('runs jobs one at a time, streaming progress', async () => {
    const { s, workers } = service();
    const seen: string[] = [];
    const a = s.startRun(config, (p) => seen.push(`a:${p.stage}`));
    const b = s.startRun(config, (p) => seen.push(`b:${p.stage}`));
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['start']);
    workers[0].reply({
      type: 'progress',
      id: a.id,
      progress: { stage: 'tn', fraction: 0.5, message: '' },
    });
    workers[0].reply({ type: 'done', id: a.id, result });
    await expect(a.result).resolves.toEqual(result);
    await tick();
    expect(workers[0].sent.map((m) => m.type)).toEqual(['start', 'start']);
    workers[0].reply({ type: 'done', id: b.id, result });
    await expect(b.result).resolves.toEqual(result);
    expect(seen).toEqual(['b:queued', 'a:tn']);
  });

  it('cancels a waiting job without bothering the worker, and a running one through it', async () => {
    const { s, workers } = service();
    const a = s.startRun(config);
    const b = s.startRun(config);
    b.cancel();
    await expect(b.result).rejects.toMatchObject({ kind: 'cancelled' });
    a.cancel();
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancel', id: a.id });
    workers[0].reply({ type: 'cancelled', id: a.id });
    await expect(a.result).rejects.toBeInstanceOf(RunError);
    expect(workers[0].terminated).toBe(false);
  });

  it('kills a worker that does not stop in time; the next job gets a new one', async () => {
    const { s, workers } = service(10);
    const a = s.startRun(config);
    a.cancel();
    await expect(a.result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(workers[0].terminated).toBe(true);
    s.startRun(config);
    await tick();
    expect(workers).toHaveLength(2);
  });

  it('reports a crashed worker with a fallback and carries on with a fresh one', async () => {
    const { s, workers } = service();
    const a = s.startRun(config);
    const b = s.startRun(config);
    workers[0].crash('out of memory');
    await expect(a.result).rejects.toMatchObject({ kind: 'worker-crash', fallback: 'wasm' });
    await tick();
    expect(workers).toHaveLength(2);
    workers[1].reply({ type: 'done', id: b.id, result });
    await expect(b.result).resolves.toEqual(result);
  });

  it('replaces the worker after a lost device, not after a refused network', async () => {
    const { s, workers } = service();
    const a = s.startRun(config);
    workers[0].reply({ type: 'failed', id: a.id, failure: { kind: 'budget', message: 'too big' } });
    await expect(a.result).rejects.toMatchObject({ kind: 'budget', message: 'too big' });
    expect(workers[0].terminated).toBe(false);
    await tick();
    const b = s.startRun(config);
    workers[0].reply({
      type: 'failed',
      id: b.id,
      failure: { kind: 'device-lost', message: 'lost', fallback: 'wasm' },
    });
    await expect(b.result).rejects.toMatchObject({ kind: 'device-lost', fallback: 'wasm' });
    expect(workers[0].terminated).toBe(true);
  });
});
