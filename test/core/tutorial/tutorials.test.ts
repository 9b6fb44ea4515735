import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchLayerConfig, type BenchLayer } from '../../../src/core/layer.ts';
import {
  buildDiagram,
  buildSource,
  documentSchema,
  type DiagramCell,
} from '../../../src/core/notebook/index.ts';
import { decodeShare, encodeShare, safeLinkHref } from '../../../src/core/share/index.ts';
import { parseTutorial, renderMarkdown, TUTORIAL_SLUGS } from '../../../src/core/tutorial/index.ts';
import { loadLayers } from '../../helpers/fixtures.ts';

const dir = fileURLToPath(new URL('../../../tutorials/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
const { batch, layers } = loadLayers() as unknown as { batch: number; layers: BenchLayer[] };

describe('tutorials', () => {
  it('are exactly the catalogued ones', () => {
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...TUTORIAL_SLUGS].sort());
  });

  describe.each(files.map((f) => [f.replace(/\.md$/, '')]))('%s', (slug) => {
    const text = readFileSync(`${dir}${slug}.md`, 'utf8');
    const parsed = parseTutorial(text, { slug });

    it('parses into a valid notebook with live cells', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      expect(documentSchema.safeParse(parsed.doc).success).toBe(true);
      const kinds = parsed.doc.cells.map((c) => c.kind);
      expect(kinds).toContain('diagram');
      expect(kinds).toContain('run');
      expect(parsed.summary.length).toBeGreaterThan(40);
    });

    it('builds every diagram and applies its steps with the core', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      const diagrams = parsed.doc.cells.filter((c): c is DiagramCell => c.kind === 'diagram');
      for (const cell of diagrams) {
        const net = buildSource(cell.source);
        expect(net.tensors.length, cell.id).toBeGreaterThan(1);
        const built = buildDiagram(cell);
        if (!built.ok) throw new Error(`${slug}: diagram '${cell.id}': ${built.error}`);
        expect(built.stages.length).toBe(cell.steps.length + 1);
      }
    });

    it('uses the benchmark layers as they are', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      for (const cell of parsed.doc.cells) {
        if (cell.kind !== 'diagram' || cell.source.kind !== 'preset' || !cell.source.name) continue;
        const { name, layer } = cell.source;
        const known = layers.find((l) => l.name === name);
        expect(known, `${cell.id}: unknown layer ${name}`).toBeDefined();
        expect(layer, cell.id).toEqual(benchLayerConfig(known!, batch));
      }
    });

    it('states no measured numbers in its prose', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      const measured =
        /\d\s*(ms|milliseconds?|seconds?|s\b|µs|GB\/s|GFLOP\/?s|TFLOP|fps)\b|\d+(\.\d+)?\s*(×|x)\s*(faster|slower|speed)|\d+(\.\d+)?\s*%\s*(faster|slower|of the time)|speed-?up of \d/i;
      for (const cell of parsed.doc.cells) {
        if (cell.kind === 'prose') expect(cell.text, cell.id).not.toMatch(measured);
      }
    });

    it('renders its prose with valid math and safe links only', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      for (const cell of parsed.doc.cells) {
        if (cell.kind !== 'prose') continue;
        const html = renderMarkdown(cell.text);
        expect(html, cell.id).not.toContain('katex-error');
        expect(html, cell.id).not.toContain('#cc0000');
        for (const [, href] of cell.text.matchAll(/\]\(([^)\s]+)\)/g)) {
          expect(safeLinkHref(href), href).not.toBeNull();
          const route = /^#\/tutorial\/(.+)$/.exec(href);
          if (route) expect(TUTORIAL_SLUGS as readonly string[]).toContain(route[1]);
        }
      }
    });

    it('can be shared as a link', () => {
      if (!parsed.ok) throw new Error(parsed.error);
      expect(decodeShare(encodeShare(parsed.doc))).toEqual({ ok: true, doc: parsed.doc });
    });
  });
});
