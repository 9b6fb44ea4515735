// WebGPU in Node goes through Dawn (npm 'webgpu'), which dlopens libvulkan.so.1. The
// dynamic loader reads LD_LIBRARY_PATH only when a process starts, so where the system
// has no libvulkan1 but Debian's chromium ships one, the command starts itself once more
// with /usr/lib/chromium on the path. Plain JavaScript: it runs before tsx is registered.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CHROMIUM_DIR = '/usr/lib/chromium';
const SYSTEM_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/lib64',
  '/usr/lib',
  '/lib',
  '/usr/local/lib',
];
// Set in the restarted process so it never restarts again.
const MARK = 'EINSKETCH_VULKAN_PATH_SET';

/** Whether the dynamic loader would find libvulkan.so.1 for a process with this environment. */
export function libvulkanLoadable(env = process.env) {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS];
  return dirs.some((dir) => existsSync(join(dir, 'libvulkan.so.1')));
}

/**
 * Restarts this process with LD_LIBRARY_PATH including /usr/lib/chromium when libvulkan is
 * otherwise missing there; returns the restarted process's exit code, or undefined when
 * no restart was needed (or none would help).
 */
export function restartWithVulkan() {
  if (process.platform !== 'linux' || process.env[MARK] || libvulkanLoadable()) return undefined;
  if (!existsSync(join(CHROMIUM_DIR, 'libvulkan.so.1'))) return undefined;
  const prev = process.env.LD_LIBRARY_PATH;
  const env = {
    ...process.env,
    [MARK]: '1',
    LD_LIBRARY_PATH: prev ? `${prev}:${CHROMIUM_DIR}` : CHROMIUM_DIR,
  };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env,
  });
  if (child.error) {
    process.stderr.write(
      `einsketch: could not restart with ${CHROMIUM_DIR} on LD_LIBRARY_PATH: ${child.error.message}\n`,
    );
    return 1;
  }
  return child.status ?? 1;
}

/** Whether the arguments ask for WebGPU through `flag` (e.g. --engine webgpu, --backend cpu,webgpu). */
export function asksForWebgpu(argv, flag) {
  return argv.some((arg, j) => {
    const value =
      arg === flag
        ? argv[j + 1]
        : arg.startsWith(`${flag}=`)
          ? arg.slice(flag.length + 1)
          : undefined;
    return value !== undefined && value.split(',').includes('webgpu');
  });
}
