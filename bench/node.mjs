#!/usr/bin/env node
// `npm run bench:node`: starts bench/node.ts through tsx, first making libvulkan loadable
// for Dawn when --backend asks for webgpu (see bin/vulkan.mjs).
import { register } from 'tsx/esm/api';
import { asksForWebgpu, restartWithVulkan } from '../bin/vulkan.mjs';

const restarted = asksForWebgpu(process.argv.slice(2), '--backend')
  ? restartWithVulkan()
  : undefined;
if (restarted !== undefined) {
  process.exitCode = restarted;
} else {
  register();
  await import('./node.ts');
}
