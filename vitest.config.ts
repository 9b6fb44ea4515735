import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The WebGPU tests run on Dawn (npm 'webgpu'), which dlopens libvulkan.so.1; Debian's
// chromium ships one. Set before the test workers are forked, since dlopen reads the
// variable only at process start.
if (existsSync('/usr/lib/chromium/libvulkan.so.1')) {
  const prev = process.env.LD_LIBRARY_PATH;
  if (!prev?.split(':').includes('/usr/lib/chromium')) {
    process.env.LD_LIBRARY_PATH = prev ? `${prev}:/usr/lib/chromium` : '/usr/lib/chromium';
  }
}

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
  },
});
