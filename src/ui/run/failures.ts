import { EinsketchError, errorMessage } from '../../core/errors.ts';
import type { BackendName } from '../../engine/backend.ts';
import { BudgetError, CancelledError } from './runJob.ts';
import type { FailureKind, RunFailure, RunStage } from './runMessages.ts';

/**
 * Turns whatever a job threw into what the user is told: what happened, in one line,
 * and a backend worth trying instead when the failure belongs to the GPU.
 */

/** A GPU problem the worker saw through the device's own events (lost, uncaptured error). */
export class GpuTrouble extends Error {
  constructor(
    readonly kind: Extract<FailureKind, 'device-lost' | 'out-of-memory' | 'gpu'>,
    message: string,
  ) {
    super(message);
  }
}

/** The chosen backend could not start (and falling back was not allowed or did not help). */
export class BackendUnavailable extends Error {
  constructor(
    message: string,
    readonly noAdapter: boolean,
    readonly fallback: BackendName | undefined,
  ) {
    super(message);
  }
}

const OOM =
  /out of memory|\boom\b|failed to allocate|allocation failed|array buffer allocation|not enough memory|exceeds the maximum/i;
const LOST = /device (was |is )?lost|device lost|devicelost|context lost/i;

/** A backend to offer after a failure on `backend`: off the GPU, else the plain CPU one. */
export function fallbackFor(backend: BackendName | undefined): BackendName | undefined {
  if (backend === 'wasm') return 'cpu';
  if (backend === 'cpu') return undefined;
  return 'wasm';
}

export function classifyFailure(
  err: unknown,
  stage: RunStage | undefined,
  backend: BackendName | undefined,
): RunFailure {
  if (err instanceof CancelledError)
    return { kind: 'cancelled', message: 'the run was cancelled', stage };
  if (err instanceof BudgetError) return { kind: 'budget', message: err.message, stage };
  if (err instanceof EinsketchError) return { kind: 'invalid', message: err.message, stage };
  if (err instanceof BackendUnavailable) {
    return {
      kind: err.noAdapter ? 'no-adapter' : 'backend',
      message: err.message,
      fallback: err.fallback,
      stage,
    };
  }
  const where = backend ? ` on ${backend}` : '';
  if (err instanceof GpuTrouble)
    return { kind: err.kind, message: err.message, fallback: fallbackFor(backend), stage };
  const text = err instanceof Error ? err.message : String(err);
  if (LOST.test(text)) {
    return {
      kind: 'device-lost',
      message: `the GPU device was lost${where}: ${firstLine(text)}`,
      fallback: fallbackFor(backend),
      stage,
    };
  }
  if (OOM.test(text) || err instanceof RangeError) {
    return {
      kind: 'out-of-memory',
      message: `out of memory${where}: ${firstLine(text)}`,
      fallback: fallbackFor(backend),
      stage,
    };
  }
  return {
    kind: 'internal',
    message: `${errorMessage(err)}${where ? ` (${where.trim()})` : ''}`,
    fallback: fallbackFor(backend),
    stage,
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? text
  );
}
