import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './csp.config.ts';
import { progressiveWebApp } from './pwa.config.ts';

// base './' keeps every asset URL relative, so dist/ works when served from any path
// (GitHub Pages project sites, a subfolder, or file-less static hosts).
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), progressiveWebApp()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs (core + webgpu + cpu backends) alone is ~700 kB minified; warn only well above that.
    chunkSizeWarningLimit: 2000,
  },
  // The run panel's worker loads tfjs backends with dynamic import(), which needs ES-module
  // workers (the default iife format cannot split code).
  worker: {
    format: 'es',
  },
  server: {
    host: '127.0.0.1',
  },
  preview: {
    host: '127.0.0.1',
  },
});
