#!/usr/bin/env node
// Renders the PNG app icons in public/ from two SVG drawings, public/favicon.svg and its
// full-bleed variant scripts/icons/icon-maskable.svg (kept out of public/, so it is not
// shipped), with the system Chromium the e2e tests use:
//   node scripts/make-icons.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const publicDir = join(here, '..', 'public');

// [source drawing, output file, edge in pixels]. Maskable and Apple icons are full-bleed:
// the platform cuts its own shape out of them.
const ICONS = [
  [join(publicDir, 'favicon.svg'), 'icon-192.png', 192],
  [join(publicDir, 'favicon.svg'), 'icon-512.png', 512],
  [join(here, 'icons', 'icon-maskable.svg'), 'icon-maskable-512.png', 512],
  [join(here, 'icons', 'icon-maskable.svg'), 'apple-touch-icon.png', 180],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const [source, output, size] of ICONS) {
    const svg = readFileSync(source, 'utf8');
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const html = `<html><body style="margin:0;background:transparent">${svg.replace(
      '<svg ',
      `<svg width="${size}" height="${size}" `,
    )}</body></html>`;
    await page.setContent(html);
    await page.screenshot({ path: join(publicDir, output), omitBackground: true });
    await page.close();
    console.log(`public/${output} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
