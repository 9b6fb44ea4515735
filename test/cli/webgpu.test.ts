import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtures, relativeError } from '../helpers/fixtures.ts';

/**
 * `einsketch run --engine webgpu`: the engine on tfjs-backend-webgpu in Node through Dawn.
 * Where Debian chromium's SwiftShader driver is installed WebGPU must work, so a missing
 * adapter fails the test instead of skipping it.
 */

const BIN = fileURLToPath(new URL('../../bin/einsketch.mjs', import.meta.url));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const canRun = existsSync(SWIFTSHADER_ICD) || process.env.EINSKETCH_EXPECT_WEBGPU === '1';

/** The bin as a user starts it: without the test workers' LD_LIBRARY_PATH (it restarts itself). */
function cli(args: string[], stdin: string, env: Record<string, string> = {}) {
  const clean = { ...process.env, ...env };
  delete clean.LD_LIBRARY_PATH;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin,
    encoding: 'utf8',
    timeout: 240_000,
    env: clean,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// One fixture of each op: the first in ops.json.
const fixtures = loadFixtures();
const firstOfEachOp = fixtures.filter(
  (c, j) => fixtures.findIndex((d) => d.request.op === c.request.op) === j,
);
// Where the system has its own libvulkan, Dawn finds it whatever the bin does.
const systemLibvulkan = ['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64'].some(
  (dir) => existsSync(`${dir}/libvulkan.so.1`),
);

describe.runIf(canRun)('einsketch run --engine webgpu (Dawn)', () => {
  it('agrees with PyTorch within 1e-4 relative on one request of each op', () => {
    const r = cli(
      ['run', '--engine', 'webgpu', '-'],
      JSON.stringify(firstOfEachOp.map((c) => c.request)),
    );
    expect(r.stderr.trim().split('\n').at(-1), 'WebGPU must be available here').not.toMatch(
      /einsketch:/,
    );
    expect(r.code).toBe(0);
    const answers = JSON.parse(r.stdout) as { op: string; shape: number[]; data: number[] }[];
    expect(answers).toHaveLength(firstOfEachOp.length);
    for (const [j, c] of firstOfEachOp.entries()) {
      expect(answers[j].op).toBe(c.request.op);
      expect(answers[j].shape, c.id).toEqual(c.expected.shape);
      expect(relativeError(answers[j].data, c.expected.data), c.id).toBeLessThan(1e-4);
    }
  }, 300_000);

  it.skipIf(systemLibvulkan)(
    'says in one line why when Dawn gets no adapter, instead of falling back to the CPU',
    () => {
      // Marked as already restarted, so libvulkan stays unloadable.
      const r = cli(['run', '--engine', 'webgpu', '-'], JSON.stringify(firstOfEachOp[0].request), {
        EINSKETCH_VULKAN_PATH_SET: '1',
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(
        /^einsketch: --engine webgpu: Dawn found no Vulkan adapter \(is libvulkan\.so\.1 loadable\?/,
      );
    },
    120_000,
  );
});

describe.skipIf(canRun)('einsketch run --engine webgpu', () => {
  it(`is not tested: no ${SWIFTSHADER_ICD} (apt-get install chromium) and EINSKETCH_EXPECT_WEBGPU unset`, () => {});
});
