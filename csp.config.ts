import type { Plugin } from 'vite';

/**
 * Content-Security-Policy of the built app. No inline or injected script may run: shared
 * links and tutorials are untrusted text. tfjs's wasm backend compiles WebAssembly
 * ('wasm-unsafe-eval'), evaluation runs in a same-origin module worker, and React Flow and
 * KaTeX set element styles ('unsafe-inline' for styles only). Downloads and image export
 * use blob: and data: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Adds the policy as a meta tag to the built index.html (the dev server needs inline scripts). */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'einsketch-csp',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      );
    },
  };
}
