// Debian's Chromium as the tests and scripts start it: headless with WebGPU (a SwiftShader
// adapter where there is no GPU), as root in containers, and with no network traffic of
// its own.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Leak checks (soak.e2e.mjs): gc() before each sample, and unrounded heap sizes.
  '--js-flags=--expose-gc',
  '--enable-precise-memory-info',
];
