// The app's tfjs backend, chosen once by the engine (webgpu → webgl → wasm → cpu).
import { selectBrowserBackend } from '../engine/browser.ts';

export interface BackendState {
  /** Active tfjs backend name, e.g. 'webgpu'. */
  name: string;
  /** Why better backends were passed over; undefined when WebGPU is in use. */
  fallbackReason?: string;
}

async function init(): Promise<BackendState> {
  try {
    const choice = await selectBrowserBackend();
    const reasons = choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`);
    return reasons.length
      ? { name: choice.name, fallbackReason: reasons.join('; ') }
      : { name: choice.name };
  } catch (err) {
    return { name: 'none', fallbackReason: err instanceof Error ? err.message : String(err) };
  }
}

let started: Promise<BackendState> | undefined;

/** Initialises the backend once; later calls (StrictMode, other components) share it. */
export function initBackend(): Promise<BackendState> {
  started ??= init();
  return started;
}
