#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx einsketch` needs no build step.
import { register } from 'tsx/esm/api';
import { asksForWebgpu, restartWithVulkan } from './vulkan.mjs';

const argv = process.argv.slice(2);
const restarted = asksForWebgpu(argv, '--engine') ? restartWithVulkan() : undefined;
if (restarted !== undefined) {
  process.exitCode = restarted;
} else {
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
