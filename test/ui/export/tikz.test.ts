import ELK from 'elkjs/lib/elk.bundled.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../../src/core/layer.ts';
import { cloneNetwork } from '../../../src/core/network.ts';
import { elkGeometry } from '../../../src/ui/diagram/elkGraph.ts';
import { buildDiagram } from '../../../src/ui/diagram/graph.ts';
import { diagramTikz } from '../../../src/ui/export/tikz.ts';
import { DEFAULT_LAYER } from '../../../src/core/diagram/presets.ts';

const GOLDEN = new URL('../../fixtures/golden/conv_forward.tikz.tex', import.meta.url);

async function tikzOf(op: Parameters<typeof buildLayerNetwork>[0]) {
  const net = buildLayerNetwork(op, DEFAULT_LAYER);
  const geometry = await elkGeometry(new ELK(), net, buildDiagram(net), false);
  return { net, geometry, tikz: diagramTikz(net, { geometry }) };
}

describe('the diagram as TikZ', () => {
  it('matches the reviewed standalone document for the convolution (UPDATE_GOLDEN=1 rewrites it)', async () => {
    const { tikz } = await tikzOf('conv_forward');
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, tikz);
    expect(tikz).toBe(readFileSync(GOLDEN, 'utf8'));
  }, 60_000);

  it('is a standalone document with every tensor, Π leg role and open leg', async () => {
    const { net, tikz } = await tikzOf('kfc');
    expect(tikz.startsWith('\\documentclass[tikz,border=4pt]{standalone}\n')).toBe(true);
    expect(tikz.trimEnd().endsWith('\\end{tikzpicture}\n\\end{document}')).toBe(true);
    expect(tikz.match(/\\node\[name\]/g)?.length).toBe(
      net.tensors.filter((t) => t.kind !== 'delta').length,
    );
    expect(tikz.match(/\\node\[free leg\]/g)?.length).toBe(net.output.length);
    expect(tikz).toContain('{$\\Pi^{(1)}$}');
    expect(tikz).toContain("{$x'$}");
    for (const role of ['k', 'o', 'i'])
      expect(tikz).toMatch(new RegExp(`\\\\node\\[role\\] at \\S+ \\{\\$${role}\\$\\}`));
    // Braces balance, so the document compiles as far as TeX's grouping goes.
    let depth = 0;
    for (const ch of tikz.replace(/\\[{}]/g, '')) {
      depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  }, 60_000);

  it('keeps TeX out of names from a shared link', async () => {
    const net = cloneNetwork(buildLayerNetwork('conv_forward', DEFAULT_LAYER));
    net.tensors[0].label = '\\input{/etc/passwd}}$';
    const tikz = diagramTikz(net);
    expect(tikz).not.toContain('\\input');
    expect(tikz).not.toContain('/etc/passwd');
  });
});
