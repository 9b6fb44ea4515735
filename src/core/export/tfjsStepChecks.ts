import type { DiagramCheck, DiagramChecks } from '../check/diagramChecks.ts';
import type { Term } from '../expression.ts';
import { requireInputShapes } from '../notebook/build.ts';
import { commentText, prepareTerm } from './subject.ts';
import { js, operandExpr } from './tfjsOperands.ts';

// ---------------------------------------------------------------------------------------
// Step checks (TF.js): each step of the derivation re-run on a small random instance in
// float32, a rewrite by allclose of the values before and after, a derivative against
// tfjs's own reverse-mode autodiff (tf.grad; a JVP as the gradient of a VJP).

/** The expression of Σ coefficient · network over `terms`, from an object `inputs`. */
function sumExpr(terms: readonly Term[]): string {
  const parts = terms.map(prepareTerm).map((t) => {
    if (t.operands.length === 0)
      return `tf.fill(${js.list(t.resultShape)}, ${js.num(t.coefficient)})`;
    const operands = t.operands
      .map((o) => `[${operandExpr(o, t.network.sizes)}, ${js.list(o.legs)}]`)
      .join(', ');
    const value = `contractPath([${operands}], ${JSON.stringify(t.path)}, ${js.list(t.network.output)}, ${JSON.stringify(t.network.sizes)})`;
    const scaled = t.coefficient === 1 ? value : `tf.mul(${value}, ${js.num(t.coefficient)})`;
    return `tf.reshape(${scaled}, ${js.list(t.resultShape)})`;
  });
  return parts.length === 1 ? parts[0] : `tf.addN([${parts.join(', ')}])`;
}

function verdictText(c: DiagramCheck): string {
  const v = c.verdict;
  return v.status === 'skipped'
    ? `not checked by einsketch: ${v.reason}`
    : `einsketch: ${v.status === 'ok' ? 'kept' : 'CHANGED'}, largest difference ${v.diff.toExponential(2)}`;
}

/** The function of one check, or null for a step that is listed, not checked. */
function checkFunction(c: DiagramCheck, seed: number): string[] | null {
  const name = `checkStep${c.step + 1}`;
  const doc = `/** Step ${c.step + 1}, ${commentText(c.label)} (${commentText(verdictText(c))}). */`;
  if (c.kind === 'unchecked') return null;
  if (c.kind === 'rewrite') {
    const shapes: Record<string, number[]> = {};
    for (const t of c.before) Object.assign(shapes, requireInputShapes(t.network));
    return [
      doc,
      `function ${name}() {`,
      '  return tf.tidy(() => {',
      `    const inputs = randomInputsOf(${JSON.stringify(shapes)}, ${seed});`,
      `    const before = ${sumExpr(c.before)};`,
      `    const after = ${sumExpr(c.after)};`,
      '    return compare(after, before);',
      '  });',
      '}',
    ];
  }
  const shapes = requireInputShapes(c.before);
  const extraShape = c.extra ? requireInputShapes(c.terms[0].network)[c.extra] : undefined;
  const all = { ...shapes, ...(c.extra && extraShape ? { [c.extra]: extraShape } : {}) };
  const src = js.str(c.source);
  const vector = `given[${js.str(c.extra ?? 'v')}]`;
  const lines = [
    doc,
    `function ${name}() {`,
    '  return tf.tidy(() => {',
    `    const given = randomInputsOf(${JSON.stringify(all)}, ${seed});`,
    `    const before = (inputs) => ${sumExpr([{ coefficient: 1, network: c.before }])};`,
    `    const derived = (inputs) => ${sumExpr(c.terms)};`,
    `    const at = (value) => before({ ...given, [${src}]: value });`,
  ];
  if (c.kind === 'vjp') {
    lines.push(`    const want = tf.grad(at)(given[${src}], ${vector});`);
    lines.push('    return compare(derived(given), want);');
  } else if (c.kind === 'jvp') {
    lines.push(`    const want = jvp(at, given[${src}], ${vector});`);
    lines.push('    return compare(derived(given), want);');
  } else {
    lines.push(
      `    const direction = tf.randomNormal(given[${src}].shape, 0, 1, 'float32', ${seed + 1000});`,
      `    const want = jvp(at, given[${src}], direction);`,
      '    const d = derived(given);',
      '    // The derivative has the value’s legs, then the input’s: contract the input’s with the direction.',
      '    const got = tf.matMul(tf.reshape(d, [-1, direction.size]), tf.reshape(direction, [direction.size, 1]));',
      '    return compare(got, want);',
    );
  }
  lines.push('  });', '}');
  return lines;
}

const HELPERS = `function randomInputsOf(shapes, seed) {
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape], j) => [name, tf.randomNormal(shape, 0, 1, 'float32', seed + j)]),
  );
}

/**
 * J·t of f at x: u ↦ Jᵀu is linear in u (one reverse pass), and the gradient of ⟨Jᵀu, t⟩
 * in u is J·t (a second reverse pass through the first). tfjs has no forward mode.
 */
function jvp(f, x, t) {
  const u0 = tf.zerosLike(f(x));
  return tf.grad((u) => tf.sum(tf.mul(tf.grad(f)(x, u), t)))(u0);
}

/** {ok, diff}: allclose entry by entry (float32: rtol 1e-4), and the largest difference. */
function compare(got, want, rtol = 1e-4) {
  if (got.size !== want.size) return { ok: false, diff: Infinity };
  if (want.size === 0) return { ok: true, diff: 0 };
  const g = tf.reshape(got, [-1]);
  const w = tf.reshape(want, [-1]);
  const gap = tf.abs(tf.sub(g, w));
  const diff = tf.max(gap).dataSync()[0];
  const scale = Math.max(1, tf.max(tf.abs(w)).dataSync()[0]);
  const far = tf.any(tf.greater(gap, tf.add(tf.mul(tf.abs(w), rtol), rtol * scale))).dataSync()[0];
  return { ok: Number.isFinite(diff) && !far, diff };
}`;

/**
 * The step-check part of an exported TF.js module: `checkSteps()` re-runs every step and
 * returns {passed, steps}; `assertSteps()` throws when one fails; run in Node with
 * `--check-steps`, the module exits with status 1 then. No lines without checks.
 */
export function checkSteps(checks: DiagramChecks | undefined, seed: number): string[] {
  if (!checks) return [];
  const made = checks.checks.map((c) => ({ c, fn: checkFunction(c, seed) }));
  const lines: string[] = [HELPERS, ''];
  for (const { fn } of made) if (fn) lines.push(...fn, '');
  lines.push(
    `/** Re-runs the derivation's step checks (einsketch checked them on ${commentText(checks.instance)}). */`,
    'export function checkSteps(log = () => {}) {',
    '  const steps = [];',
  );
  if (made.length === 0) lines.push("  log('the diagram has no steps to check');");
  for (const { c, fn } of made) {
    const what = js.str(`step ${c.step + 1}, ${commentText(c.label)}`);
    if (!fn) {
      lines.push(`  log(${what} + ': ' + ${js.str(commentText(verdictText(c)))});`);
      continue;
    }
    lines.push(
      '  {',
      `    const { ok, diff } = checkStep${c.step + 1}();`,
      `    log(${what} + (ok ? ': ok' : ': FAILED') + ', largest difference ' + diff.toExponential(3));`,
      `    steps.push({ step: ${c.step + 1}, label: ${js.str(c.label)}, ok, diff });`,
      '  }',
    );
  }
  lines.push(
    '  return { passed: steps.every((s) => s.ok), steps };',
    '}',
    '',
    '/** Throws when a step check fails (for use in a test suite). */',
    'export function assertSteps() {',
    '  const failed = checkSteps().steps.filter((s) => !s.ok);',
    '  if (failed.length)',
    "    throw new Error(`step check failed: ${failed.map((s) => `step ${s.step}, ${s.label} (largest difference ${s.diff.toExponential(3)})`).join('; ')}`);",
    '}',
    '',
  );
  return lines;
}
