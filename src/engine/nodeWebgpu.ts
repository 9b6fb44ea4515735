import { existsSync } from 'node:fs';

/**
 * WebGPU in Node through the npm package `webgpu` (Dawn): installs `navigator.gpu` so that
 * tfjs-backend-webgpu, and the engine's generated kernels on it, run unchanged outside a
 * browser. On a machine without a GPU, Chromium's SwiftShader Vulkan driver gives Dawn an
 * adapter (Debian's lavapipe is refused by Dawn); on a machine with one, its own driver does.
 *
 * Dawn loads libvulkan.so.1 with dlopen, which reads LD_LIBRARY_PATH only at process start:
 * where the system has no libvulkan1, start Node with LD_LIBRARY_PATH=/usr/lib/chromium
 * (the test and benchmark scripts do).
 */

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = [
  '/usr/share/vulkan/icd.d',
  '/etc/vulkan/icd.d',
  '/usr/local/nvidia/share/vulkan/icd.d',
];

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

let installed: Promise<string | undefined> | undefined;

function hasHardwareIcd(): boolean {
  // Debian's lavapipe (lvp_icd) is a CPU driver Dawn refuses; anything else is worth trying.
  return SYSTEM_ICD_DIRS.some((dir) => {
    if (!existsSync(dir)) return false;
    return (
      existsSync(`${dir}/nvidia_icd.json`) ||
      existsSync(`${dir}/radeon_icd.x86_64.json`) ||
      existsSync(`${dir}/intel_icd.x86_64.json`)
    );
  });
}

async function install(): Promise<string | undefined> {
  const g = globalThis as { navigator?: { gpu?: GpuLike } };
  if (g.navigator?.gpu) return undefined;
  if (
    !process.env.VK_ICD_FILENAMES &&
    !process.env.VK_DRIVER_FILES &&
    !hasHardwareIcd() &&
    existsSync(SWIFTSHADER_ICD)
  ) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  let mod: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (err) {
    return `the npm package 'webgpu' could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  let gpu: GpuLike;
  try {
    gpu = mod.create([]);
  } catch (err) {
    return `Dawn could not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) {
    return existsSync(SWIFTSHADER_ICD)
      ? 'Dawn found no Vulkan adapter (is libvulkan.so.1 loadable? start Node with LD_LIBRARY_PATH=/usr/lib/chromium or install libvulkan1)'
      : 'Dawn found no Vulkan adapter (no GPU driver; Debian chromium provides the SwiftShader one)';
  }
  // tfjs-backend-webgpu checks `instanceof GPUBuffer` etc. through the globals.
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  const nav = g.navigator ?? {};
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  if (!g.navigator)
    Object.defineProperty(globalThis, 'navigator', {
      value: nav,
      configurable: true,
      writable: true,
    });
  return undefined;
}

/** Makes navigator.gpu available in Node; resolves to why not, or undefined when it is. */
export function installNodeWebGPU(): Promise<string | undefined> {
  installed ??= install();
  return installed;
}
