import { describe, expect, it } from 'vitest';
import {
  checksMarkdown,
  diagramChecks,
  type DiagramCheck,
} from '../../src/core/check/diagramChecks.ts';
import { exportJax, exportPyTorch, subjectOfDiagram } from '../../src/core/export/index.ts';
import type { LayerConfig } from '../../src/core/layer.ts';
import type { DiagramCell, Step } from '../../src/core/notebook/index.ts';
import { requireModule, runFromShell } from './runPython.ts';

/**
 * The step checks travel with an exported derivation: the PyTorch script re-runs every
 * step's check with torch (`--check-steps`: a rewrite by torch.allclose of the networks
 * before and after, a derivative against torch.autograd), and the Markdown summary lists
 * each step with einsketch's verdict. Run with Debian's python3-torch.
 */

const layer: LayerConfig = {
  batch: 3,
  inChannels: 4,
  outChannels: 6,
  input: [9, 9],
  kernel: [3, 3],
  stride: [2, 2],
  padding: [1, 1],
  dilation: [1, 1],
  groups: 2,
  outputPadding: [0, 0],
};

const cell = (steps: Step[]): Pick<DiagramCell, 'source' | 'steps' | 'title'> => ({
  source: { kind: 'preset', op: 'conv_forward', layer },
  steps,
  title: 'derivation',
});

const derivation = cell([
  { kind: 'vjp', source: 'weight' },
  { kind: 'simplify' },
  { kind: 'dropout', index: 'n', keep: 0.5, seed: 3 },
]);

describe('step checks of a derivation', () => {
  it('are computed on a small instance and pass for the library’s steps', () => {
    const { checks, instance } = diagramChecks(derivation);
    expect(instance).toBe('batch 2, channels 4→4, input 3x3');
    expect(checks.map((c) => [c.kind, c.verdict.status])).toEqual([
      ['vjp', 'ok'],
      ['rewrite', 'ok'],
      ['unchecked', 'skipped'],
    ]);
    const jvp = diagramChecks(cell([{ kind: 'jvp', source: 'x' }, { kind: 'simplify' }]));
    const derivative = diagramChecks(cell([{ kind: 'derivative', source: 'weight' }]));
    expect(jvp.checks.map((c) => c.verdict.status)).toEqual(['ok', 'ok']);
    expect(derivative.checks.map((c) => c.verdict.status)).toEqual(['ok']);
  });

  it('check a simplification that rewrites the network (a patchify layer loses its Π)', () => {
    const patchify: LayerConfig = { ...layer, kernel: [3, 3], stride: [3, 3], padding: [0, 0] };
    const { checks } = diagramChecks({
      source: { kind: 'preset', op: 'conv_forward', layer: patchify },
      steps: [{ kind: 'simplify' }],
    });
    const [c] = checks;
    if (c.kind !== 'rewrite') throw new Error(`expected a rewrite check, got ${c.kind}`);
    expect(c.verdict.status).toBe('ok');
    const patterns = (t: (typeof c.before)[number]) =>
      t.network.tensors.filter((x) => x.kind === 'index_pattern').length;
    expect(patterns(c.before[0])).toBe(2);
    expect(patterns(c.after[0])).toBe(0);
  });

  it('are listed with their verdicts in Markdown', () => {
    const text = checksMarkdown('derivation', diagramChecks(derivation));
    expect(text).toMatch(/^# Step checks: derivation\n/);
    expect(text).toMatch(
      /^1\. VJP with respect to weight: ✓ kept the value \(largest difference \d\.\d\de[-+]\d+\)$/m,
    );
    expect(text).toMatch(/^2\. simplify: ✓ kept the value/m);
    expect(text).toMatch(
      /^3\. dropout: keep 0\.5 of n \(seed 3\): not checked: an unbiased estimate/m,
    );
    expect(checksMarkdown('plain', diagramChecks(cell([])))).toContain('no steps to check');
  });

  it('are left out of scripts that were not given them, and of JAX', () => {
    const subject = subjectOfDiagram(derivation);
    expect(exportPyTorch(subject)).not.toContain('check_steps');
    expect(exportJax(subject, { checks: diagramChecks(derivation) })).not.toContain('check_steps');
  });
});

describe('the exported PyTorch script re-runs them', () => {
  const run = (steps: Step[], tamper?: (c: DiagramCheck) => DiagramCheck) => {
    const checks = diagramChecks(cell(steps));
    const script = exportPyTorch(subjectOfDiagram(cell(steps)), {
      checks: tamper ? { ...checks, checks: checks.checks.map(tamper) } : checks,
    });
    return { script, ...runFromShell(script, () => ['--check-steps']) };
  };

  it('passes every step of VJP, JVP and derivative derivations', () => {
    requireModule('torch', 'python3-torch');
    const vjp = run(derivation.steps);
    expect(vjp.script).toContain('python3 this_file.py --check-steps');
    expect(vjp.stderr).toMatch(/step 1, VJP with respect to weight: ok, largest difference/);
    expect(vjp.stderr).toMatch(/step 2, simplify: ok/);
    expect(vjp.stderr).toMatch(
      /step 3, dropout: keep 0.5 of n \(seed 3\): not checked by einsketch/,
    );
    expect(vjp.status, vjp.stderr).toBe(0);
    for (const steps of [
      [{ kind: 'jvp', source: 'x' }, { kind: 'simplify' }],
      [{ kind: 'derivative', source: 'weight' }, { kind: 'simplify' }],
    ] as Step[][]) {
      const r = run(steps);
      expect(r.stderr).toMatch(/step 1, (JVP|derivative).*: ok/);
      expect(r.stderr).toMatch(/step 2, simplify: ok/);
      expect(r.status, r.stderr).toBe(0);
    }
  }, 120_000);

  it('fails on a step that changes the value', () => {
    requireModule('torch', 'python3-torch');
    // The simplified network scaled by 2: a rewrite that does not keep the value.
    const doubled = (c: DiagramCheck): DiagramCheck =>
      c.kind === 'rewrite'
        ? { ...c, after: c.after.map((t) => ({ ...t, coefficient: 2 * t.coefficient })) }
        : c;
    const r = run(derivation.steps, doubled);
    expect(r.stderr).toMatch(/step 2, simplify: FAILED, largest difference/);
    expect(r.status).toBe(1);
  }, 60_000);
});
