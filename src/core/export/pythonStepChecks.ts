import type { DiagramCheck, DiagramChecks } from '../check/diagramChecks.ts';
import type { Term } from '../expression.ts';
import { requireInputShapes } from '../notebook/build.ts';
import { operandExpr, type Framework } from './pythonOperands.ts';
import { py } from './pythonLiterals.ts';
import { commentText, prepareTerm } from './subject.ts';

// ---------------------------------------------------------------------------------------
// Step checks (PyTorch or JAX): each step of the derivation re-run on a small random
// instance, a rewrite by allclose of the values before and after, a derivative against the
// framework's own autodiff (torch.autograd, jax.vjp / jax.jvp).

/** Lines that compute the sum of `terms` from a dict `inputs` into `into`. */
function sumLines(fw: Framework, terms: readonly Term[], into: string, indent: string): string[] {
  const xp = fw === 'torch' ? 'torch' : 'jnp';
  const lines: string[] = [];
  const parts = terms.map(prepareTerm).map((t, j) => {
    const name = `${into}_${j + 1}`;
    const shape = t.resultShape.length ? t.resultShape.join(', ') : '()';
    if (t.operands.length === 0) {
      lines.push(
        `${indent}${name} = ${xp}.full(${py.tuple(t.resultShape)}, ${py.num(t.coefficient)}, dtype=DTYPE)`,
      );
      return name;
    }
    const operands = t.operands.map((o) => operandExpr(fw, o, t.network.sizes)).join(', ');
    const scale = t.coefficient === 1 ? '' : `${py.num(t.coefficient)} * `;
    lines.push(
      `${indent}${name} = (${scale}contract_path(${py.str(t.equation)}, [${operands}], ${JSON.stringify(t.path)})).reshape(${shape})`,
    );
    return name;
  });
  lines.push(`${indent}${into} = ${parts.join(' + ')}`);
  return lines;
}

function shapesDict(shapes: Record<string, number[]>): string {
  return `{${Object.entries(shapes)
    .map(([n, sh]) => `${py.str(n)}: ${py.list(sh)}`)
    .join(', ')}}`;
}

function verdictText(c: DiagramCheck): string {
  const v = c.verdict;
  return v.status === 'skipped'
    ? `not checked by einsketch: ${v.reason}`
    : `einsketch: ${v.status === 'ok' ? 'kept' : 'CHANGED'}, largest difference ${v.diff.toExponential(2)}`;
}

function checkFunction(fw: Framework, c: DiagramCheck, seed: number): string[] | null {
  const name = `check_step_${c.step + 1}`;
  const doc = `    """Step ${c.step + 1}, ${commentText(c.label)} (${commentText(verdictText(c))})."""`;
  if (c.kind === 'rewrite') {
    const shapes: Record<string, number[]> = {};
    for (const t of c.before) Object.assign(shapes, requireInputShapes(t.network));
    return [
      `def ${name}():`,
      doc,
      `    inputs = random_inputs_of(${shapesDict(shapes)}, ${seed})`,
      ...sumLines(fw, c.before, 'before', '    '),
      ...sumLines(fw, c.after, 'after', '    '),
      '    return compare(after, before)',
    ];
  }
  if (c.kind === 'unchecked') return null;
  const shapes = requireInputShapes(c.before);
  const extraShape = c.extra ? requireInputShapes(c.terms[0].network)[c.extra] : undefined;
  const all = { ...shapes, ...(c.extra && extraShape ? { [c.extra]: extraShape } : {}) };
  const src = py.str(c.source);
  const lines = [
    `def ${name}():`,
    doc,
    `    given = random_inputs_of(${shapesDict(all)}, ${seed})`,
    '',
    '    def before(inputs):',
    ...sumLines(fw, [{ coefficient: 1, network: c.before }], 'value', '        '),
    '        return value',
    '',
    '    def derived(inputs):',
    ...sumLines(fw, c.terms, 'value', '        '),
    '        return value',
    '',
    '    def at(value):',
    `        return before({**given, ${src}: value})`,
    '',
  ];
  const vector = `given[${py.str(c.extra ?? 'v')}]`;
  if (fw === 'jax') {
    if (c.kind === 'vjp') {
      lines.push(
        `    _, pullback = jax.vjp(at, given[${src}])`,
        `    want = pullback(${vector})[0]`,
        '    return compare(derived(given), want)',
      );
    } else if (c.kind === 'jvp') {
      lines.push(
        `    want = jax.jvp(at, (given[${src}],), (${vector},))[1]`,
        '    return compare(derived(given), want)',
      );
    } else {
      lines.push(
        `    direction = jax.random.normal(jax.random.PRNGKey(${seed + 1}), given[${src}].shape, dtype=DTYPE)`,
        `    want = jax.jvp(at, (given[${src}],), (direction,))[1]`,
        '    got = jnp.tensordot(derived(given), direction, axes=direction.ndim)',
        '    return compare(got, want)',
      );
    }
    return lines;
  }
  if (c.kind === 'vjp') {
    lines.push(
      `    x = given[${src}].clone().requires_grad_(True)`,
      `    want = torch.autograd.grad(at(x), x, ${vector})[0]`,
      '    return compare(derived(given), want)',
    );
  } else if (c.kind === 'jvp') {
    lines.push(
      `    want = torch.autograd.functional.jvp(at, given[${src}], ${vector})[1]`,
      '    return compare(derived(given), want)',
    );
  } else {
    lines.push(
      `    direction = torch.randn(given[${src}].shape, generator=torch.Generator().manual_seed(${seed + 1}), dtype=DTYPE)`,
      `    want = torch.autograd.functional.jvp(at, given[${src}], direction)[1]`,
      '    got = torch.tensordot(derived(given), direction, dims=direction.dim())',
      '    return compare(got, want)',
    );
  }
  return lines;
}

const TORCH_HELPERS = `def random_inputs_of(shapes, seed):
    gen = torch.Generator().manual_seed(seed)
    return {name: torch.randn(shape, generator=gen, dtype=DTYPE) for name, shape in shapes.items()}


def compare(got, want, rtol=1e-7):
    """(agrees, largest difference) of two results, compared entry by entry."""
    got, want = got.reshape(-1), want.reshape(-1)
    if got.numel() != want.numel():
        return False, float("inf")
    if want.numel() == 0:
        return True, 0.0
    diff = (got - want).abs().max().item()
    scale = max(1.0, want.abs().max().item())
    return bool(torch.allclose(got, want, rtol=rtol, atol=rtol * scale)), diff`;

const JAX_HELPERS = `def random_inputs_of(shapes, seed):
    keys = jax.random.split(jax.random.PRNGKey(seed), max(len(shapes), 1))
    return {name: jax.random.normal(key, shape, dtype=DTYPE) for key, (name, shape) in zip(keys, shapes.items())}


def compare(got, want, rtol=1e-7):
    """(agrees, largest difference) of two results, compared entry by entry."""
    got, want = jnp.reshape(got, -1), jnp.reshape(want, -1)
    if got.size != want.size:
        return False, float("inf")
    if want.size == 0:
        return True, 0.0
    diff = float(jnp.max(jnp.abs(got - want)))
    scale = max(1.0, float(jnp.max(jnp.abs(want))))
    return bool(jnp.allclose(got, want, rtol=rtol, atol=rtol * scale)), diff`;

/**
 * The `--check-steps` part of a PyTorch or JAX script (no lines without checks). The
 * tolerance follows the script's float type: float32 rounding alone exceeds 1e-7.
 */
export function checkLines(
  fw: Framework,
  checks: DiagramChecks | undefined,
  seed: number,
  dtype: 'float32' | 'float64' = 'float64',
): string[] {
  if (!checks) return [];
  const made = checks.checks.map((c) => ({ c, fn: checkFunction(fw, c, seed) }));
  const helpers = fw === 'torch' ? TORCH_HELPERS : JAX_HELPERS;
  const rtol = dtype === 'float64' ? 'rtol=1e-7' : 'rtol=1e-4';
  const lines: string[] = [helpers.replace('rtol=1e-7', rtol), '', ''];
  for (const { fn } of made) if (fn) lines.push(...fn, '', '');
  lines.push(
    'def check_steps():',
    `    """Re-runs the derivation's step checks (einsketch checked them on ${commentText(checks.instance)}); True when all pass."""`,
    '    passed = True',
  );
  if (made.length === 0)
    lines.push('    print("the diagram has no steps to check", file=sys.stderr)');
  for (const { c, fn } of made) {
    const what = py.str(`step ${c.step + 1}, ${commentText(c.label)}`);
    if (!fn) {
      lines.push(
        `    print(${what} + ": " + ${py.str(commentText(verdictText(c)))}, file=sys.stderr)`,
      );
      continue;
    }
    lines.push(
      `    ok, diff = check_step_${c.step + 1}()`,
      `    print(${what} + (": ok" if ok else ": FAILED") + f", largest difference {diff:.3e}", file=sys.stderr)`,
      '    passed = passed and ok',
    );
  }
  lines.push('    return passed', '', '');
  return lines;
}
