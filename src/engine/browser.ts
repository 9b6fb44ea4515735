import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { selectBackend, type BackendChoice, type BackendName, type WasmPaths } from './backend.ts';

/**
 * Browser side of backend selection. The `?url` imports make Vite emit the three wasm
 * binaries as assets (hashed, relative to the page, so a sub-path deployment works) and
 * give their URLs to tfjs-backend-wasm; the threaded build is only used when the page is
 * cross-origin isolated, tfjs falls back to the SIMD one otherwise.
 */
export const BROWSER_WASM_PATHS: WasmPaths = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
};

export function selectBrowserBackend(order?: readonly BackendName[]): Promise<BackendChoice> {
  return selectBackend({ order, wasmPaths: BROWSER_WASM_PATHS });
}
