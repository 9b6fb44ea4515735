import * as tf from '@tensorflow/tfjs-core';

/**
 * Backend selection: the first of webgpu → webgl → wasm → cpu that initialises, with the
 * reason each earlier one was passed over. Backend packages are imported on demand, so
 * Node never loads the WebGPU/WebGL code and the browser bundle splits them into chunks.
 * Works in both: in Node webgpu and webgl are reported missing and wasm needs the
 * directory of its .wasm binaries (node.ts), in the browser Vite serves them (browser.ts).
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendFallback {
  backend: BackendName;
  reason: string;
}

export interface BackendChoice {
  name: BackendName;
  /** Backends tried before `name`, each with why it was not used. */
  fallbacks: BackendFallback[];
}

/** Where tfjs-backend-wasm finds its binaries: a directory prefix or one URL per file. */
export type WasmPaths =
  | string
  | Partial<
      Record<
        | 'tfjs-backend-wasm.wasm'
        | 'tfjs-backend-wasm-simd.wasm'
        | 'tfjs-backend-wasm-threaded-simd.wasm',
        string
      >
    >;

export interface SelectOptions {
  /** Candidates in order of preference (default BACKEND_ORDER). */
  order?: readonly BackendName[];
  wasmPaths?: WasmPaths;
}

type Probe = () => Promise<string | undefined>;

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? text
  );
}

/** tf.setBackend reports failure as `false` and logs the error; keep the message as the reason. */
async function trySetBackend(name: BackendName): Promise<string | undefined> {
  const logged: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  };
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    logged.push(err instanceof Error ? err.message : String(err));
  } finally {
    console.warn = warn;
  }
  if (ok) return undefined;
  const detail = logged.filter((l) => !/Initialization of backend/.test(l)).map(firstLine)[0];
  return `tfjs could not initialise ${name}${detail ? `: ${detail}` : ''}`;
}

const probes: Record<BackendName, (options: SelectOptions) => Probe> = {
  webgpu: () => async () => {
    const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    if (!gpu) return 'navigator.gpu missing';
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return 'navigator.gpu.requestAdapter() gave no adapter';
    await import('@tensorflow/tfjs-backend-webgpu');
    // Small tensors would otherwise be computed on the CPU and skew GPU timings.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    return trySetBackend('webgpu');
  },
  webgl: () => async () => {
    const g = globalThis as {
      OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown };
      document?: unknown;
    };
    if (!g.OffscreenCanvas && !g.document) return 'no canvas to draw WebGL on (not a browser)';
    if (g.OffscreenCanvas) {
      const canvas = new g.OffscreenCanvas(1, 1);
      if (!canvas.getContext('webgl2') && !canvas.getContext('webgl')) return 'no WebGL context';
    }
    await import('@tensorflow/tfjs-backend-webgl');
    return trySetBackend('webgl');
  },
  wasm: (options) => async () => {
    if (typeof WebAssembly === 'undefined') return 'WebAssembly missing';
    if (options.wasmPaths === undefined) return 'no location given for the .wasm binaries';
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const paths = options.wasmPaths;
    if (typeof paths === 'string') wasm.setWasmPaths(paths);
    else wasm.setWasmPaths(paths);
    return trySetBackend('wasm');
  },
  cpu: () => async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    return trySetBackend('cpu');
  },
};

/** Activates the first backend that works; throws if none does, listing every reason. */
export async function selectBackend(options: SelectOptions = {}): Promise<BackendChoice> {
  const fallbacks: BackendFallback[] = [];
  for (const name of options.order ?? BACKEND_ORDER) {
    let reason: string | undefined;
    try {
      reason = await probes[name](options)();
    } catch (err) {
      reason = err instanceof Error ? firstLine(err.message) : String(err);
    }
    if (reason === undefined) {
      await tf.ready();
      return { name, fallbacks };
    }
    fallbacks.push({ backend: name, reason });
  }
  throw new Error(
    `no tfjs backend available: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`,
  );
}

/** One line for the UI / logs: "webgpu" or "cpu (webgpu: navigator.gpu missing; …)". */
export function describeBackend(choice: BackendChoice): string {
  if (!choice.fallbacks.length) return choice.name;
  return `${choice.name} (${choice.fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')})`;
}
