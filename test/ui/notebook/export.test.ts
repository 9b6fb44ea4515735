import { describe, expect, it } from 'vitest';
import { cloneNetwork } from '../../../src/core/network.ts';
import { buildLayerNetwork } from '../../../src/core/layer.ts';
import { diagramCell } from '../../../src/core/notebook/index.ts';
import { OP_NAMES } from '../../../src/core/ops/index.ts';
import { fileStem } from '../../../src/ui/export/download.ts';
import { diagramChecks } from '../../../src/core/check/diagramChecks.ts';
import { exportText, fileName, FORMATS } from '../../../src/ui/export/formats.ts';
import { diagramSvg, xmlEscape } from '../../../src/ui/export/svg.ts';
import { diagramModel } from '../../../src/ui/notebook/model/diagramModel.ts';
import { DEFAULT_LAYER } from '../../../src/core/diagram/presets.ts';
import { smallPreset } from '../../helpers/smallPresets.ts';

/** Every tag opened is closed, in order (a well-formedness check without a DOM). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0;
}

describe('the diagram as SVG', () => {
  it('draws every operation as a well-formed picture with a node per tensor', () => {
    for (const op of OP_NAMES) {
      const net = buildLayerNetwork(op, DEFAULT_LAYER);
      const { svg, width, height } = diagramSvg(net, { title: op });
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(balanced(svg), op).toBe(true);
      expect(width).toBeGreaterThan(100);
      expect(height).toBeGreaterThan(50);
      for (const t of net.tensors) expect(svg).toContain(`>${xmlEscape(t.label)}</text>`);
    }
  });

  it('escapes hostile labels and index names', () => {
    const net = cloneNetwork(buildLayerNetwork('conv_forward', DEFAULT_LAYER));
    net.tensors[0].label = '<script>alert(1)</script>';
    const { svg } = diagramSvg(net, { title: '"><img src=x onerror=alert(1)>' });
    expect(svg).not.toMatch(/<script|<img|onerror="/);
    expect(svg).toContain('&lt;script&gt;');
  });

  it('follows positions the user gave', () => {
    const net = buildLayerNetwork('conv_forward', DEFAULT_LAYER);
    const a = diagramSvg(net).svg;
    const b = diagramSvg(net, { positions: { 't:x': { x: -500, y: 300 } } }).svg;
    expect(a).not.toBe(b);
  });
});

describe('the export menu’s formats', () => {
  it('exports code, the einsum, the formula and the picture of a diagram cell', () => {
    const cell = diagramCell('d', smallPreset('conv_forward'), { title: 'My conv <1>' });
    const model = diagramModel(cell);
    if (!model.ok) throw new Error(model.error);
    const target = {
      subject: model.subject,
      network: model.terms[0].network,
      title: 'My conv <1>',
    };
    const text = Object.fromEntries(
      FORMATS.filter((f) => f.text).map((f) => [f.id, exportText(f.id, target)]),
    );
    expect(text.pytorch).toMatch(/torch\.einsum/);
    // A preset with no steps checks itself against PyTorch's built-in.
    expect(text.pytorch).toMatch(/conv2d/);
    expect(text.jax).toMatch(/jnp\.einsum/);
    expect(text.tfjs).toMatch(/export function contract/);
    expect(text.einsum).toContain(
      'n g c_in i1 i2, k1 o1 i1, k2 o2 i2, g c_out c_in k1 k2 -> n g c_out o1 o2',
    );
    expect(text.latex).toMatch(/^\[\\mathsf\{Y\}\]/);
    expect(text.svg).toMatch(/^<svg/);
    expect(fileName(target, FORMATS[0])).toBe('My-conv-1.py');
  });

  it('exports the step checks of a derived diagram: listed in Markdown, re-run by the PyTorch, JAX and TF.js scripts', () => {
    const cell = diagramCell('d', smallPreset('conv_forward'), {
      title: 'weight VJP',
      steps: [{ kind: 'vjp', source: 'weight' }, { kind: 'simplify' }],
    });
    const model = diagramModel(cell);
    if (!model.ok) throw new Error(model.error);
    const target = {
      subject: model.subject,
      network: model.terms[0].network,
      title: 'weight VJP',
      checks: () => diagramChecks(cell),
    };
    const checks = exportText('checks', target);
    expect(checks).toMatch(/^1\. VJP with respect to weight: ✓ kept the value/m);
    expect(checks).toMatch(/^2\. simplify: ✓ kept the value/m);
    const py = exportText('pytorch', target);
    expect(py).toContain('def check_step_1():');
    expect(py).toContain('def check_step_2():');
    expect(py).toContain('if "--check-steps" in argv:');
    const jax = exportText('jax', target);
    expect(jax).toContain('_, pullback = jax.vjp(at, given["weight"])');
    expect(jax).toContain('if "--check-steps" in argv:');
    const tfjs = exportText('tfjs', target);
    expect(tfjs).toContain('const want = tf.grad(at)(given["weight"], given["v"]);');
    expect(tfjs).toContain('export function checkSteps(');
    expect(tfjs).toContain("process.argv.includes('--check-steps')");
    // Without checks (e.g. a network the notebook cannot hold) the Markdown says so.
    expect(exportText('checks', { ...target, checks: undefined })).toContain('no steps to check');
  });

  it('makes safe file names from any title', () => {
    expect(fileStem('../../etc/passwd')).toBe('etc-passwd');
    expect(fileStem('<script>')).toBe('script');
    expect(fileStem('Ünïcödé title')).toBe('Unicode-title');
    expect(fileStem('***')).toBe('einsketch');
  });
});
