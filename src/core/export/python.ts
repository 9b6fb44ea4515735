import type { DiagramChecks } from '../check/diagramChecks.ts';
import { fail } from '../errors.ts';
import {
  commentText,
  prepareTerm,
  subjectInputShapes,
  subjectInputs,
  type ExportSubject,
  type PreparedTerm,
} from './subject.ts';
import { py } from './pythonLiterals.ts';
import { torchBuiltin } from './torchBuiltins.ts';

export { torchBuiltin };

/**
 * PyTorch and JAX scripts of a tensor network: the index patterns built in code by a small
 * `index_pattern(I, K, S, D, P_left, P_right)`, every input viewed and sliced as the
 * network says, and one einsum per term (torch.einsum / jnp.einsum) contracted pairwise
 * along einsketch's planned path. The script runs as it is:
 *
 *   python3 script.py [inputs.json] [result.json]
 *
 * with inputs as {name: {shape, data}} (or a request holding "tensors"); without a file it
 * uses the inline inputs or random ones. It prints (or writes) {"shape", "data"}; for an
 * operation PyTorch has a built-in for, also the largest difference to the built-in.
 */

export type InputSpec =
  /** Random normal inputs from a seed (needs every input's shape). */
  | { kind: 'random'; seed?: number }
  /** The values written into the script. */
  | { kind: 'inline'; tensors: Record<string, { shape: number[]; data: number[] }> }
  /** A JSON file read when the script runs without arguments. */
  | { kind: 'file'; path: string };

export interface PythonOptions {
  /** Inputs used when the script gets no inputs file (default: random, seed 0). */
  inputs?: InputSpec;
  /** Floating-point type (default float64). */
  dtype?: 'float32' | 'float64';
  /**
   * The diagram's step checks (src/core/check/diagramChecks.ts): the script gets a
   * `--check-steps` mode that re-runs each on its random instance with torch or JAX.
   */
  checks?: DiagramChecks;
}

import { operandExpr, type Framework } from './pythonOperands.ts';
import { checkLines } from './pythonStepChecks.ts';

// ---------------------------------------------------------------------------------------
// The script

const INDEX_PATTERN = (fw: Framework) => {
  const xp = fw === 'torch' ? 'torch' : 'jnp';
  const cast = fw === 'torch' ? '.to(DTYPE)' : '.astype(DTYPE)';
  return `def index_pattern(I, K, S, D, P_left, P_right, O=None):
    """The index pattern of one spatial dimension, a [K, O, I] tensor:
    Pi[k, o, i] = 1 if i = k*D + o*S - P_left and 0 <= i < I, else 0.

    I: input size, K: kernel size, S: stride, D: dilation, P_left / P_right: padding.
    Padding is implicit: a tap that lands in the padding has no entry.
    """
    if O is None:
        O = 1 + (I + P_left + P_right - (K + (K - 1) * (D - 1))) // S
    k = ${xp}.arange(K).reshape(K, 1, 1)
    o = ${xp}.arange(O).reshape(1, O, 1)
    i = ${xp}.arange(I).reshape(1, 1, I)
    return (i == k * D + o * S - P_left)${cast}`;
};

const DELTA = (fw: Framework) => {
  const xp = fw === 'torch' ? 'torch' : 'jnp';
  return `def delta(size, legs):
    """Kronecker delta with \`legs\` legs of \`size\`: 1 where all indices agree, else 0."""
    grids = [${xp}.arange(size).reshape([size if b == a else 1 for b in range(legs)]) for a in range(legs)]
    out = ${xp}.ones([size] * legs, dtype=DTYPE)
    for grid in grids[1:]:
        out = out * (grids[0] == grid)
    return out`;
};

const CONTRACT_PATH = (fw: Framework) => {
  const einsum = fw === 'torch' ? 'torch.einsum' : 'jnp.einsum';
  return `def contract_path(equation, operands, path):
    """Evaluates an einsum pairwise along a path in opt_einsum's linear format: each step
    names positions in the current operand list; they are contracted and the result is
    appended. Indices are summed as soon as no other operand and not the output needs them."""
    inputs, output = equation.split("->")
    terms = inputs.split(",")
    operands = list(operands)
    for step in path:
        picked = [terms[p] for p in step]
        tensors = [operands[p] for p in step]
        for p in sorted(step, reverse=True):
            del terms[p]
            del operands[p]
        needed = set(output).union(*terms)
        kept = "".join(dict.fromkeys(c for term in picked for c in term if c in needed))
        operands.append(${einsum}(",".join(picked) + "->" + kept, *tensors))
        terms.append(kept)
    return ${einsum}(terms[0] + "->" + output, operands[0])`;
};

function fileHeader(
  subject: ExportSubject,
  terms: PreparedTerm[],
  fw: Framework,
  inputsLine: string,
  withChecks = false,
): string {
  const checksLine = withChecks
    ? `\nRun: python3 this_file.py --check-steps\n  re-runs the check of every derivation step on a small random instance (${fw === 'torch' ? 'torch.allclose, torch.autograd' : 'jnp.allclose, jax.vjp / jax.jvp'});\n  exits with status 1 if one fails.`
    : '';
  const title = commentText(subject.title ?? subject.op ?? 'tensor network');
  const equations = terms.map((t) => `    ${commentText(t.named, 2000)}`).join('\n');
  const needs = fw === 'torch' ? 'PyTorch' : 'JAX';
  return `#!/usr/bin/env python3
"""${title}: a tensor network exported by einsketch.

${equations}

Run: python3 this_file.py [inputs.json] [result.json]
  inputs.json holds {"x": {"shape": [...], "data": [...]}, ...} (or a request with "tensors");
  without it, ${inputsLine}.
  Prints the result as {"shape": [...], "data": [...]} (or writes it to result.json).${checksLine}
Needs ${needs}.
"""`;
}

export function generatePython(
  subject: ExportSubject,
  fw: Framework,
  options: PythonOptions = {},
): string {
  if (subject.terms.length === 0) fail('nothing to export: the expression has no terms');
  const terms = subject.terms.map(prepareTerm);
  const dtype = options.dtype ?? 'float64';
  const shapes = subjectInputShapes(subject);
  const names = subjectInputs(subject);
  const missing = names.filter((n) => !shapes[n]);
  const spec: InputSpec =
    options.inputs ??
    (missing.length ? { kind: 'file', path: 'inputs.json' } : { kind: 'random', seed: 0 });
  if (spec.kind === 'random' && missing.length)
    fail(`random inputs need the shape of ${missing.join(', ')}`);
  if (spec.kind === 'inline') {
    const absent = names.filter((n) => !spec.tensors[n]);
    if (absent.length) fail(`inline inputs lack ${absent.join(', ')}`);
  }
  const checked = (options.checks?.checks ?? []).flatMap((c) =>
    c.kind === 'rewrite'
      ? [...c.before, ...c.after].map((t) => t.network)
      : c.kind === 'unchecked'
        ? []
        : [c.before, ...c.terms.map((t) => t.network)],
  );
  const usesDelta = [...terms.map((t) => t.network), ...checked].some((n) =>
    n.tensors.some((o) => o.kind === 'delta'),
  );
  const builtin =
    fw === 'torch' && subject.op && subject.opInput
      ? torchBuiltin(subject.op, subject.opInput)
      : null;
  const xp = fw === 'torch' ? 'torch' : 'jnp';

  const inputsLine =
    spec.kind === 'random'
      ? `random normal inputs (seed ${spec.seed ?? 0}) of the shapes in INPUT_SHAPES`
      : spec.kind === 'inline'
        ? 'the inputs written into INPUTS below'
        : `the inputs are read from ${commentText(spec.path)}`;

  const lines: string[] = [
    fileHeader(subject, terms, fw, inputsLine, options.checks !== undefined),
    'import json',
    'import sys',
    '',
  ];
  if (fw === 'torch') {
    lines.push('import torch');
    if (builtin) lines.push('import torch.nn.functional as F');
    lines.push('', `DTYPE = torch.${dtype}`);
  } else {
    lines.push('import jax', 'import jax.numpy as jnp', '');
    if (dtype === 'float64') lines.push('jax.config.update("jax_enable_x64", True)');
    lines.push(`DTYPE = jnp.${dtype}`);
  }
  lines.push('');
  terms.forEach((t, j) => {
    const suffix = terms.length > 1 ? `_${j + 1}` : '';
    lines.push(`EQUATION${suffix} = ${py.str(t.equation)}`);
    lines.push(`PATH${suffix} = ${JSON.stringify(t.path)}`);
  });
  const shapeEntries = names
    .filter((n) => shapes[n])
    .map((n) => `${py.str(n)}: ${py.list(shapes[n])}`);
  lines.push(`INPUT_SHAPES = {${shapeEntries.join(', ')}}`);
  if (spec.kind === 'inline')
    lines.push(`INPUTS = json.loads(${py.str(JSON.stringify(spec.tensors))})`);
  lines.push('', '', INDEX_PATTERN(fw), '', '');
  if (usesDelta) lines.push(DELTA(fw), '', '');
  lines.push(CONTRACT_PATH(fw), '', '');

  // contract(inputs)
  lines.push('def contract(inputs):');
  lines.push('    """The network\'s value from a dict of input tensors {name: tensor}."""');
  terms.forEach((t, j) => {
    const suffix = terms.length > 1 ? `_${j + 1}` : '';
    const resultShape = t.resultShape.length ? t.resultShape.join(', ') : '()';
    if (t.operands.length === 0) {
      lines.push(
        `    term${suffix} = ${xp}.asarray(${py.num(t.coefficient)}, dtype=DTYPE).reshape(${resultShape})`,
      );
      return;
    }
    lines.push(`    operands${suffix} = [`);
    for (const o of t.operands) {
      lines.push(
        `        ${operandExpr(fw, o, t.network.sizes)},  # ${commentText(o.label)}[${commentText(o.legs.join(' '))}]`,
      );
    }
    lines.push('    ]');
    const scale = t.coefficient === 1 ? '' : `${py.num(t.coefficient)} * `;
    lines.push(
      `    term${suffix} = (${scale}contract_path(EQUATION${suffix}, operands${suffix}, PATH${suffix})).reshape(${resultShape})`,
    );
  });
  lines.push(
    terms.length === 1
      ? '    return term'
      : `    return ${terms.map((_, j) => `term_${j + 1}`).join(' + ')}`,
    '',
    '',
  );

  if (builtin) {
    lines.push(
      'def builtin(inputs):',
      '    """The same operation with PyTorch\'s built-ins, to check the network against."""',
    );
    lines.push(...builtin.map((l) => `    ${l}`), '', '');
  }

  const checks = checkLines(fw, options.checks, 1, dtype);
  lines.push(...checks);

  // Inputs
  if (fw === 'torch') {
    lines.push(
      'def as_tensor(t):',
      '    return torch.tensor(t["data"], dtype=DTYPE).reshape(t["shape"])',
      '',
      '',
      'def random_inputs(seed):',
      '    gen = torch.Generator().manual_seed(seed)',
      '    return {name: torch.randn(shape, generator=gen, dtype=DTYPE) for name, shape in INPUT_SHAPES.items()}',
    );
  } else {
    lines.push(
      'def as_tensor(t):',
      '    return jnp.asarray(t["data"], dtype=DTYPE).reshape(t["shape"])',
      '',
      '',
      'def random_inputs(seed):',
      '    keys = jax.random.split(jax.random.PRNGKey(seed), len(INPUT_SHAPES))',
      '    return {name: jax.random.normal(key, shape, dtype=DTYPE) for key, (name, shape) in zip(keys, INPUT_SHAPES.items())}',
    );
  }
  lines.push(
    '',
    '',
    'def load_inputs(path):',
    '    with open(path, encoding="utf-8") as f:',
    '        spec = json.load(f)',
    '    tensors = spec.get("tensors", spec)',
    '    return {name: as_tensor(t) for name, t in tensors.items()}',
    '',
    '',
    'def main(argv):',
  );
  if (checks.length) {
    lines.push('    if "--check-steps" in argv:', '        sys.exit(0 if check_steps() else 1)');
  }
  const fallback =
    spec.kind === 'random'
      ? `random_inputs(${spec.seed ?? 0})`
      : spec.kind === 'inline'
        ? '{name: as_tensor(t) for name, t in INPUTS.items()}'
        : `load_inputs(${py.str(spec.path)})`;
  lines.push(
    `    inputs = load_inputs(argv[1]) if len(argv) > 1 else ${fallback}`,
    '    result = contract(inputs)',
    '    out = {"shape": list(result.shape), "data": result.reshape(-1).tolist()}',
  );
  if (builtin) {
    lines.push(
      '    diff = (result - builtin(inputs)).abs().max().item() if result.numel() else 0.0',
      '    out["max_abs_diff_builtin"] = diff',
      '    print(f"max |network - built-in| = {diff:.3e}", file=sys.stderr)',
    );
  }
  lines.push(
    '    text = json.dumps(out)',
    '    if len(argv) > 2:',
    '        with open(argv[2], "w", encoding="utf-8") as f:',
    '            f.write(text)',
    '    else:',
    '        print(text)',
    '',
    '',
    'if __name__ == "__main__":',
    '    main(sys.argv)',
    '',
  );
  return lines.join('\n');
}

/** A PyTorch script (torch.einsum along the planned path; built-in check where one exists). */
export function exportPyTorch(subject: ExportSubject, options?: PythonOptions): string {
  return generatePython(subject, 'torch', options);
}

/** A JAX script (jnp.einsum along the planned path). */
export function exportJax(subject: ExportSubject, options?: PythonOptions): string {
  return generatePython(subject, 'jax', options);
}
