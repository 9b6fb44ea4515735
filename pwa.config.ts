import type { PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Installable, offline-capable build: a web-app manifest and a Workbox service worker that
 * precaches the whole app shell on the first visit, so tutorials open and run cells run with
 * no network (a lecture hall). Everything the app needs is bundled: the tutorials are inlined
 * into the JS by import.meta.glob, the tfjs .wasm binaries and the run worker are emitted
 * assets, KaTeX's fonts are CSS assets.
 *
 * Paths stay relative (Vite's base './'), so the manifest's start_url and scope and the
 * worker's registration resolve against wherever dist/ is served from.
 */
export function progressiveWebApp(): PluginOption {
  return VitePWA({
    // registerSW.js is an external script: the Content-Security-Policy (csp.config.ts)
    // forbids inline scripts, so the plugin's inline registration would be refused.
    injectRegister: 'script',
    includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
    manifest: {
      name: 'einsketch: convolutions as tensor networks',
      short_name: 'einsketch',
      description:
        'Draw, differentiate, simplify and run the tensor networks of convolutions in the browser.',
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: '#f7f8fa',
      theme_color: '#1d2330',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      ],
    },
    workbox: {
      // woff2 only: every browser with service workers reads KaTeX's woff2 fonts, and the
      // woff/ttf fallbacks would double the download on the first visit for nothing.
      globPatterns: ['**/*.{html,js,css,wasm,woff2,svg,png,webmanifest}'],
      // The main bundle (tfjs with its backends, React Flow, KaTeX) and the wasm binaries are
      // larger than Workbox's 2 MiB default; a file left out would break the offline app.
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      // Hash routes (#/tutorial/…, #/s/…) never reach the server; any navigation inside the
      // scope is the single page.
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      // The first worker controls the page that installed it, so the first visit is already
      // offline-ready. A newer version waits until every tab of the app is closed: taking
      // over an open tab would delete the old hashed chunks it still loads on demand (tfjs
      // backends, the run worker). Work is autosaved, so the next visit loses nothing.
      skipWaiting: false,
      clientsClaim: true,
    },
  });
}
