import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import {
  exportEinsum,
  exportLatex,
  exportJax,
  exportPyTorch,
  exportTfjs,
  indexTex,
  numberTex,
  subjectOfDiagram,
  subjectOfNetwork,
} from '../../src/core/export/index.ts';
import { buildSource, type DiagramCell } from '../../src/core/notebook/index.ts';
import { parseTutorial } from '../../src/core/tutorial/index.ts';
import { DERIVED } from './derived.ts';
import { SMALL_PRESETS } from '../helpers/smallPresets.ts';

const typeset = (tex: string) =>
  katex.renderToString(tex, {
    throwOnError: true,
    trust: false,
    strict: 'error',
    displayMode: true,
  });

describe('LaTeX formula', () => {
  it('writes the convolution in the paper’s notation', () => {
    expect(exportLatex(buildSource(SMALL_PRESETS[0]))).toBe(
      '[\\mathsf{Y}]_{n,g,c_{\\text{out}},o_{1},o_{2}} = \\sum_{c_{\\text{in}},i_{1},i_{2},k_{1},k_{2}} ' +
        '[\\mathsf{X}]_{n,g,c_{\\text{in}},i_{1},i_{2}} \\, \\Pi^{(1)}_{k_{1},o_{1},i_{1}} \\, \\Pi^{(2)}_{k_{2},o_{2},i_{2}} \\, ' +
        '[\\mathsf{W}]_{g,c_{\\text{out}},c_{\\text{in}},k_{1},k_{2}}',
    );
  });

  it('names indices and constants as the paper does', () => {
    expect(indexTex('c_in')).toBe('c_{\\text{in}}');
    expect(indexTex("k1'")).toBe("k_{1}'");
    expect(indexTex('ĩ1')).toBe('\\tilde{i}_{1}');
    expect(indexTex('o1_o2')).toBe('(o_{1},o_{2})');
    expect(indexTex('c_out_d')).toBe('c_{\\text{out},\\text{d}}');
    expect(indexTex('\\evil{x}')).toBe('\\mathrm{evilx}');
    expect(numberTex(0.125)).toBe('\\frac{1}{8}');
    expect(numberTex(-0.5)).toBe('-\\frac{1}{2}');
    expect(numberTex(2)).toBe('2');
    expect(numberTex(0.3)).toBe('0.3');
  });

  it('typesets every preset, derived diagram and tutorial diagram with KaTeX', () => {
    const cells: Pick<DiagramCell, 'source' | 'steps'>[] = [
      ...SMALL_PRESETS.map((source) => ({ source, steps: [] })),
      ...DERIVED.map((d) => d.cell),
    ];
    const dir = fileURLToPath(new URL('../../tutorials/', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const t = parseTutorial(readFileSync(`${dir}${file}`, 'utf8'));
      if (!t.ok) throw new Error(t.error);
      cells.push(...t.doc.cells.filter((c): c is DiagramCell => c.kind === 'diagram'));
    }
    for (const cell of cells) {
      const tex = exportLatex(subjectOfDiagram(cell));
      expect(() => typeset(tex), tex).not.toThrow();
    }
    expect(cells.length).toBeGreaterThan(60);
  });

  it('typesets tensors whose names end in a digit or a prime (T1, v2, x′) and sums of terms', () => {
    const net = buildSource({
      kind: 'einsum',
      equation: 'ab,bc->ac',
      shapes: [
        [2, 3],
        [3, 4],
      ],
    });
    const tex = exportLatex(net);
    expect(tex).toBe(
      '[\\mathsf{Y}]_{a,c} = \\sum_{b} [\\mathsf{T}_{1}]_{a,b} \\, [\\mathsf{T}_{2}]_{b,c}',
    );
    expect(() => typeset(tex)).not.toThrow();
    for (const label of ['v2', 'x′', 'W12', 'v2′', 'Π₁', 'T', '9']) {
      net.tensors[0].label = label;
      expect(() => typeset(exportLatex(net)), label).not.toThrow();
    }
    const kfc = buildSource(SMALL_PRESETS.find((p) => p.kind === 'preset' && p.op === 'kfc')!);
    const sum = exportLatex({
      terms: [
        { coefficient: 1, network: kfc },
        { coefficient: -0.5, network: kfc },
      ],
    });
    expect(sum).toMatch(/ - \\frac\{1\}\{\d+\} \\, \\sum/);
    expect(() => typeset(sum)).not.toThrow();
  });

  it('keeps hostile names out of the TeX and the code', () => {
    const net = buildSource({
      kind: 'einsum',
      equation: 'ab,bc->ac',
      shapes: [
        [2, 3],
        [3, 2],
      ],
    });
    net.tensors[0].label = '\\href{javascript:alert(1)}{x}';
    net.tensors[1].label = '"""\nimport os; os.system("x")  # */ </script>';
    const tex = exportLatex(net);
    const commands = new Set([...tex.matchAll(/\\([A-Za-z]+)/g)].map((m) => m[1]));
    for (const c of commands)
      expect(['mathsf', 'sum', 'Pi', 'bar', 'delta', 'frac', 'text', 'mathrm', 'tilde']).toContain(
        c,
      );
    expect(tex).not.toMatch(/[:"\n]/);
    expect(() => typeset(tex)).not.toThrow();
    const subject = subjectOfNetwork(net, { title: 'x"""\nimport os' });
    for (const code of [exportPyTorch(subject), exportJax(subject), exportTfjs(subject)]) {
      expect(code).not.toMatch(/^import os/m);
      expect(code).not.toContain('os.system("x")');
      expect(code).not.toContain('</script>');
    }
  });
});

describe('einsum string', () => {
  it('gives each term in the named or letters style', () => {
    expect(exportEinsum(buildSource(SMALL_PRESETS[0]))).toBe(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
    );
    expect(exportEinsum(buildSource(SMALL_PRESETS[0]), 'letters')).toBe(
      'ngabc,deb,fhc,giadf->ngieh',
    );
    const sum = subjectOfDiagram({
      source: SMALL_PRESETS[8],
      steps: [{ kind: 'derivative', source: 'x' }],
    });
    expect(exportEinsum(sum).split(' + ')).toHaveLength(2);
  });
});
