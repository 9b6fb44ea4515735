import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  checksMarkdown,
  diagramChecks,
  type DiagramCheck,
} from '../../src/core/check/diagramChecks.ts';
import { exportJax, exportPyTorch, subjectOfDiagram } from '../../src/core/export/index.ts';
import type { LayerConfig } from '../../src/core/layer.ts';
import type { Step } from '../../src/core/notebook/index.ts';
import { checkedDerivation, checkedLayer } from './checkedDerivation.ts';
import { PYTHON, requireModule, runFromShell } from './runPython.ts';

/**
 * The step checks travel with an exported derivation: the PyTorch script re-runs every
 * step's check with torch (`--check-steps`: a rewrite by torch.allclose of the networks
 * before and after, a derivative against torch.autograd), and the Markdown summary lists
 * each step with einsketch's verdict. Run with Debian's python3-torch.
 */

const layer = checkedLayer;
const cell = checkedDerivation;

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

  it('are left out of scripts that were not given them', () => {
    const subject = subjectOfDiagram(derivation);
    expect(exportPyTorch(subject)).not.toContain('check_steps');
    expect(exportJax(subject)).not.toContain('check_steps');
  });
});

/**
 * CI has no JAX (Debian does not package it): there the JAX script's checks are checked for
 * their structure (it parses as Python; each step has a check against jax.vjp / jax.jvp or
 * jnp.allclose; the script exits with status 1 when one fails). With EINSKETCH_JAX_PYTHON
 * set to a python that has JAX, they are also run on JAX (below).
 */
describe('the exported JAX script carries them', () => {
  const jaxScript = (steps: Step[]) => {
    const c = cell(steps);
    return exportJax(subjectOfDiagram(c), { checks: diagramChecks(c) });
  };
  const body = (script: string, n: number) => {
    const start = script.indexOf(`def check_step_${n}():`);
    expect(start, `check_step_${n}`).toBeGreaterThan(0);
    return script.slice(start, script.indexOf('\n\n\n', start));
  };

  it('has a check per step with JAX’s own autodiff and no torch', () => {
    const script = jaxScript(derivation.steps);
    expect(script).toContain('python3 this_file.py --check-steps');
    expect(script).not.toMatch(/\btorch\b/);
    expect(body(script, 1)).toMatch(
      /_, pullback = jax\.vjp\(at, given\["weight"\]\)\n\s+want = pullback\(given\["v"\]\)\[0\]/,
    );
    expect(body(script, 2)).toMatch(
      /inputs = random_inputs_of\([\s\S]*before = before_1\n[\s\S]*after = after_1\n\s+return compare\(after, before\)/,
    );
    expect(script).not.toContain('def check_step_3');
    expect(script).toMatch(/jnp\.allclose\(got, want, rtol=rtol, atol=rtol \* scale\)/);
    expect(script).toMatch(
      /if "--check-steps" in argv:\n\s+sys\.exit\(0 if check_steps\(\) else 1\)/,
    );
    expect(script).toMatch(
      /print\("step 3, dropout: keep 0\.5 of n \(seed 3\)" \+ ": " \+ "not checked by einsketch/,
    );

    const jvp = jaxScript([{ kind: 'jvp', source: 'x' }]);
    expect(body(jvp, 1)).toMatch(
      /want = jax\.jvp\(at, \(given\["x"\],\), \(given\["v"\],\)\)\[1\]/,
    );
    const derivative = jaxScript([{ kind: 'derivative', source: 'weight' }]);
    expect(body(derivative, 1)).toMatch(
      /direction = jax\.random\.normal\(jax\.random\.PRNGKey\(2\), given\["weight"\]\.shape, dtype=DTYPE\)\n\s+want = jax\.jvp\(at, \(given\["weight"\],\), \(direction,\)\)\[1\]/,
    );
    expect(body(derivative, 1)).toMatch(
      /got = jnp\.tensordot\(derived\(given\), direction, axes=direction\.ndim\)/,
    );
  });

  it('parses as Python', () => {
    const parsed = spawnSync(PYTHON, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
      input: [
        derivation.steps,
        [{ kind: 'jvp', source: 'x' }],
        [{ kind: 'derivative', source: 'weight' }],
      ]
        .map((steps) => jaxScript(steps as Step[]))
        .join('\n'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(parsed.status, parsed.stderr).toBe(0);
  });
});

/**
 * The exported script of one framework re-runs every step's check (`--check-steps`) with
 * that framework's own autodiff, and exits 1 when a step changes the value.
 */
function describeRerun(
  framework: string,
  exporter: typeof exportPyTorch,
  python: string | undefined,
  requireFramework: () => void,
  timeoutMs: number,
): void {
  describe.skipIf(!python)(`the exported ${framework} script re-runs them`, () => {
    const run = (steps: Step[], tamper?: (c: DiagramCheck) => DiagramCheck) => {
      const checks = diagramChecks(cell(steps));
      const script = exporter(subjectOfDiagram(cell(steps)), {
        checks: tamper ? { ...checks, checks: checks.checks.map(tamper) } : checks,
      });
      return { script, ...runFromShell(script, () => ['--check-steps'], python) };
    };

    it(
      'passes every step of VJP, JVP and derivative derivations',
      () => {
        requireFramework();
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
      },
      timeoutMs,
    );

    it(
      'fails on a step that changes the value',
      () => {
        requireFramework();
        // The simplified network scaled by 2: a rewrite that does not keep the value.
        const doubled = (c: DiagramCheck): DiagramCheck =>
          c.kind === 'rewrite'
            ? { ...c, after: c.after.map((t) => ({ ...t, coefficient: 2 * t.coefficient })) }
            : c;
        const r = run(derivation.steps, doubled);
        expect(r.stderr).toMatch(/step 2, simplify: FAILED, largest difference/);
        expect(r.status).toBe(1);
      },
      timeoutMs,
    );
  });
}

describeRerun(
  'PyTorch',
  exportPyTorch,
  PYTHON,
  () => requireModule('torch', 'python3-torch'),
  120_000,
);
// Only where EINSKETCH_JAX_PYTHON names a python with JAX (CI has none).
describeRerun('JAX', exportJax, process.env.EINSKETCH_JAX_PYTHON, () => {}, 300_000);
