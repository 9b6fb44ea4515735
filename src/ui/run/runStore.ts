import { create } from 'zustand';
import type { BackendName } from '../../engine/backend.ts';
import type { RunEstimate } from './estimate.ts';
import type { RunFailure, RunProgress, RunResult, UploadedTensor } from './runMessages.ts';

/**
 * The run panel's state: its settings, the inputs uploaded, the run in progress and the
 * results of this session's runs (newest last). Not saved and not undone: it describes
 * measurements, not the work.
 */
export interface RunSettings {
  backend: BackendName;
  allowFallback: boolean;
  repeats: number;
  warmup: number;
  seed: number;
  compareBuiltin: boolean;
  /** Memory budget in MiB. */
  budgetMiB: number;
  inputMode: 'seeded' | 'uploaded';
}

export interface RunRecord {
  id: number;
  label: string;
  op?: string;
  result: RunResult;
}

export interface ActiveRun {
  id: number;
  label: string;
  progress?: RunProgress;
  cancelling?: boolean;
  /** performance.now() at the start, for the time left. */
  startedAt: number;
  /** The estimate told before the start, in seconds. */
  estimateSeconds?: number;
}

/** A run estimated to take long, waiting for the user to say go. */
export interface PendingConfirm {
  label: string;
  estimate: RunEstimate;
  /** The backend forced by a fallback offer, if any. */
  backend?: BackendName;
}

export interface RunState {
  settings: RunSettings;
  uploads?: { files: string[]; tensors: Record<string, UploadedTensor> };
  uploadError?: string;
  active?: ActiveRun;
  confirm?: PendingConfirm;
  /** The last run's failure, with the backend it ran on. */
  failure?: RunFailure & { label: string };
  history: RunRecord[];
}

export const DEFAULT_SETTINGS: RunSettings = {
  backend: 'webgpu',
  allowFallback: true,
  repeats: 5,
  warmup: 1,
  seed: 1,
  compareBuiltin: true,
  budgetMiB: 1024,
  inputMode: 'seeded',
};

/** Runs kept for the chart and table. */
export const HISTORY_LIMIT = 20;

export const useRun = create<RunState>()(() => ({ settings: DEFAULT_SETTINGS, history: [] }));

export function updateSettings(patch: Partial<RunSettings>): void {
  useRun.setState((s) => ({ settings: { ...s.settings, ...patch } }));
}

export function clearHistory(): void {
  useRun.setState({ history: [] });
}
