import type { DiagramCheck, DiagramChecks } from '../check/diagramChecks.ts';
import { fail } from '../errors.ts';
import { requireInputShapes } from '../notebook/build.ts';
import type { NetworkTerm } from '../notebook/derive.ts';
import { perDimension, resolvePadding } from '../hyper.ts';
import type { DataTransform, Tensor } from '../network.ts';
import { foldDims } from '../ops/fold.ts';
import type { OpInput, OpName } from '../ops/index.ts';
import {
  commentText,
  patternOutputIsDefault,
  prepareTerm,
  subjectInputShapes,
  subjectInputs,
  type ExportSubject,
  type PreparedTerm,
} from './subject.ts';

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
   * The diagram's step checks (src/core/check/diagramChecks.ts): a PyTorch script gets a
   * `--check-steps` mode that re-runs each on its random instance with torch.
   */
  checks?: DiagramChecks;
}

type Framework = 'torch' | 'jax';

const py = {
  str: (s: string) => JSON.stringify(s),
  list: (xs: readonly number[]) => `[${xs.join(', ')}]`,
  tuple: (xs: readonly number[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`),
  num: (x: number) => {
    if (!Number.isFinite(x)) fail(`cannot write the number ${x} into code`);
    const s = String(x);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  },
};

function take(fw: Framework, expr: string, indices: readonly number[], axis: number): string {
  return fw === 'torch'
    ? `${expr}.index_select(${axis}, torch.tensor(${py.list(indices)}))`
    : `jnp.take(${expr}, jnp.asarray(${py.list(indices)}), axis=${axis})`;
}

function transformExpr(fw: Framework, expr: string, tr: DataTransform): string {
  switch (tr.kind) {
    case 'reshape':
      return `${expr}.reshape(${tr.shape.length ? tr.shape.join(', ') : '()'})`;
    case 'slice': {
      // Python indexing leaves the axes after the last one given untouched.
      const step = tr.step ?? 1;
      const stop = tr.start + (tr.size - 1) * step + 1;
      return `${expr}[${':, '.repeat(tr.axis)}${tr.start}:${stop}${step === 1 ? '' : `:${step}`}]`;
    }
    case 'select':
      return take(fw, expr, tr.indices, tr.axis);
  }
}

const ROLE_AXIS = { k: 0, o: 1, i: 2 } as const;

function operandExpr(fw: Framework, t: Tensor, sizes: Record<string, number>): string {
  switch (t.kind) {
    case 'data': {
      let expr = `inputs[${py.str(t.source)}]`;
      for (const tr of t.transforms) expr = transformExpr(fw, expr, tr);
      return expr;
    }
    case 'index_pattern': {
      const p = t.pattern;
      const args = [p.inputSize, p.kernelSize, p.stride, p.dilation, p.padLeft, p.padRight].join(
        ', ',
      );
      let expr = `index_pattern(${args}${patternOutputIsDefault(p) ? '' : `, O=${p.outputSize}`})`;
      for (const role of ['k', 'o', 'i'] as const) {
        const kept = t.keep?.[role];
        if (kept) expr = take(fw, expr, kept, ROLE_AXIS[role]);
      }
      const roles = t.roles.join('');
      if (roles !== 'koi')
        expr = `${fw === 'torch' ? 'torch' : 'jnp'}.einsum("koi->${roles}", ${expr})`;
      return expr;
    }
    case 'delta':
      return `delta(${sizes[t.legs[0]]}, ${t.legs.length})`;
    case 'scalar':
      return py.num(t.value);
  }
}

// ---------------------------------------------------------------------------------------
// Built-ins to check against (PyTorch only; N-d convolutions for N ≤ 3).

interface Geometry {
  dims: number;
  stride: number[];
  dilation: number[];
  padding: number[] | 'same' | 'valid';
  /** Per-dimension (left, right) padding. */
  pads: [number, number][];
  groups: number;
}

function geometry(input: OpInput, dims: number, kernel: number[]): Geometry {
  const stride = perDimension(input.stride, dims, 'stride', 1);
  const dilation = perDimension(input.dilation, dims, 'dilation', 1);
  const pads = resolvePadding(input.padding, kernel, stride, dilation);
  const padding =
    input.padding === 'same' || input.padding === 'valid' ? input.padding : pads.map(([l]) => l);
  return { dims, stride, dilation, padding, pads, groups: input.groups ?? 1 };
}

function convArgs(g: Geometry): string {
  const padding = typeof g.padding === 'string' ? py.str(g.padding) : py.tuple(g.padding);
  return `stride=${py.tuple(g.stride)}, padding=${padding}, dilation=${py.tuple(g.dilation)}, groups=${g.groups}`;
}

/** Body lines of `builtin(inputs)` for an operation PyTorch has, or null. */
export function torchBuiltin(op: OpName, input: OpInput): string[] | null {
  const shape = (name: string) => [...(input.shapes[name] ?? [])];
  if (op === 'unfold_kernel') return toeplitzBuiltin(input);
  if (op === 'fold') return foldBuiltin(input);
  const main = input.shapes.x ?? input.shapes.v;
  if (!main) return null;
  const dims = main.length - 2;
  if (dims < 1 || dims > 3) return null;
  const conv = `F.conv${dims}d`;
  const kernelOf = (w: number[]) => w.slice(2);
  switch (op) {
    case 'conv_forward':
      return [
        `return ${conv}(inputs["x"], inputs["weight"], ${convArgs(geometry(input, dims, kernelOf(shape('weight'))))})`,
      ];
    case 'conv_input_jvp':
      return [
        `return ${conv}(inputs["v"], inputs["weight"], ${convArgs(geometry(input, dims, kernelOf(shape('weight'))))})`,
      ];
    case 'conv_weight_jvp':
      return [
        `return ${conv}(inputs["x"], inputs["v"], ${convArgs(geometry(input, dims, kernelOf(shape('v'))))})`,
      ];
    case 'conv_input_vjp': {
      const w = shape('weight');
      const v = shape('v');
      const inputSize = perDimension(input.input_size, dims, 'input_size', 1);
      const g = geometry(input, dims, kernelOf(w));
      return [
        `x = torch.zeros(${py.list([v[0], w[1] * g.groups, ...inputSize])}, dtype=DTYPE, requires_grad=True)`,
        `y = ${conv}(x, inputs["weight"], ${convArgs(g)})`,
        `return torch.autograd.grad(y, x, inputs["v"])[0]`,
      ];
    }
    case 'conv_weight_vjp':
    case 'conv_per_example_weight_vjp': {
      const x = shape('x');
      const v = shape('v');
      const kernel = perDimension(input.kernel_size, dims, 'kernel_size', 1);
      const g = geometry(input, dims, kernel);
      const w = py.list([v[1], x[1] / g.groups, ...kernel]);
      if (op === 'conv_weight_vjp') {
        return [
          `w = torch.zeros(${w}, dtype=DTYPE, requires_grad=True)`,
          `y = ${conv}(inputs["x"], w, ${convArgs(g)})`,
          `return torch.autograd.grad(y, w, inputs["v"])[0]`,
        ];
      }
      return [
        'grads = []',
        `for n in range(${x[0]}):`,
        `    w = torch.zeros(${w}, dtype=DTYPE, requires_grad=True)`,
        `    y = ${conv}(inputs["x"][n : n + 1], w, ${convArgs(g)})`,
        `    grads.append(torch.autograd.grad(y, w, inputs["v"][n : n + 1])[0])`,
        'return torch.stack(grads)',
      ];
    }
    case 'conv_transpose_forward': {
      if (input.padding === 'same') return null;
      const g = geometry(input, dims, kernelOf(shape('weight')));
      const outputPadding = perDimension(input.output_padding, dims, 'output_padding', 0);
      const padding = g.pads.map(([l]) => l);
      return [
        `return F.conv_transpose${dims}d(inputs["x"], inputs["weight"], stride=${py.tuple(g.stride)}, padding=${py.tuple(padding)}, ` +
          `output_padding=${py.tuple(outputPadding)}, groups=${g.groups}, dilation=${py.tuple(g.dilation)})`,
      ];
    }
    case 'unfold':
    case 'kfc':
    case 'kfac_reduce': {
      // F.unfold is 2-d with symmetric padding only.
      if (dims !== 2) return null;
      const x = shape('x');
      const kernel = perDimension(input.kernel_size, dims, 'kernel_size', 1);
      const g = geometry(input, dims, kernel);
      if (g.pads.some(([l, r]) => l !== r)) return null;
      const unfold = `F.unfold(inputs["x"], kernel_size=${py.tuple(kernel)}, dilation=${py.tuple(g.dilation)}, padding=${py.tuple(g.pads.map(([l]) => l))}, stride=${py.tuple(g.stride)})`;
      if (op === 'unfold') return [`return ${unfold}`];
      const lines = [
        `u = ${unfold}.reshape(${x[0]}, ${g.groups}, ${(x[1] / g.groups) * kernel[0] * kernel[1]}, -1)  # [N, G, C/G·K1·K2, O]`,
      ];
      if (op === 'kfc') lines.push(`return torch.einsum("ngco,ngdo->gcd", u, u) / ${x[0]}`);
      else lines.push('u = u.mean(dim=3)', `return torch.einsum("ngc,ngd->gcd", u, u) / ${x[0]}`);
      return lines;
    }
    case 'avg_pool': {
      const kernel = perDimension(input.kernel_size, dims, 'kernel_size', 1);
      const stride = input.stride === undefined ? kernel : perDimension(input.stride, dims, 'stride', 1);
      const padding = perDimension(input.padding as number | number[] | undefined, dims, 'padding', 0);
      return [
        `return F.avg_pool${dims}d(inputs["x"], kernel_size=${py.tuple(kernel)}, stride=${py.tuple(stride)}, padding=${py.tuple(padding)}, count_include_pad=True)`,
      ];
    }
    case 'per_example_grad_norm':
    case 'sum_grad_squared':
    case 'ggn_diagonal':
    case 'ggn_gram':
      return curvatureBuiltin(op, input, conv);
    default:
      return null;
  }
}

/**
 * The loop a PyTorch user writes for the curvature quantities: one autograd call per
 * example (and per row c of the loss-Hessian factor s), then squares and sums.
 */
function curvatureBuiltin(op: OpName, input: OpInput, conv: string): string[] {
  const x = [...input.shapes.x];
  const rows = op === 'ggn_diagonal' || op === 'ggn_gram';
  const back = rows ? [...input.shapes.s] : [...input.shapes.v];
  const dims = x.length - 2;
  const kernel = perDimension(input.kernel_size, dims, 'kernel_size', 1);
  const g = geometry(input, dims, kernel);
  const cOut = rows ? back[2] : back[1];
  const w = py.list([cOut, x[1] / g.groups, ...kernel]);
  const lines = [
    'def weight_vjp(n, v):',
    `    w = torch.zeros(${w}, dtype=DTYPE, requires_grad=True)`,
    `    y = ${conv}(inputs["x"][n : n + 1], w, ${convArgs(g)})`,
    '    return torch.autograd.grad(y, w, v)[0]',
  ];
  if (!rows) {
    lines.push(`grads = torch.stack([weight_vjp(n, inputs["v"][n : n + 1]) for n in range(${x[0]})])`);
    lines.push(op === 'per_example_grad_norm' ? 'return (grads**2).flatten(1).sum(1)' : 'return (grads**2).sum(0)');
    return lines;
  }
  lines.push(
    `grads = torch.stack([weight_vjp(n, inputs["s"][c, n : n + 1]) for c in range(${back[0]}) for n in range(${x[0]})])  # row c·N + n`,
  );
  lines.push(op === 'ggn_diagonal' ? 'return (grads**2).sum(0)' : 'grads = grads.flatten(1)', ...(op === 'ggn_gram' ? ['return grads @ grads.T'] : []));
  return lines;
}

/** Column j of the Toeplitz matrix is the convolution of the j-th unit input. */
function toeplitzBuiltin(input: OpInput): string[] | null {
  const w = [...input.shapes.weight];
  const dims = w.length - 2;
  if (dims < 1 || dims > 3 || input.input_size === undefined) return null;
  const inputSize = perDimension(input.input_size, dims, 'input_size', 1);
  const g = geometry(input, dims, w.slice(2));
  const columns = w[1] * g.groups * inputSize.reduce((a, b) => a * b, 1);
  return [
    `units = torch.eye(${columns}, dtype=DTYPE).reshape(${py.list([columns, w[1] * g.groups, ...inputSize])})`,
    `return F.conv${dims}d(units, inputs["weight"], ${convArgs(g)}).reshape(${columns}, -1).T`,
  ];
}

/** F.fold is 2-d with symmetric padding only. */
function foldBuiltin(input: OpInput): string[] | null {
  const kernel = input.kernel_size;
  if (input.input_size === undefined || kernel === undefined) return null;
  if (foldDims(input) !== 2 || typeof input.padding === 'string') return null;
  const k = perDimension(kernel, 2, 'kernel_size', 1);
  const g = geometry(input, 2, k);
  return [
    `return F.fold(inputs["x"], output_size=${py.tuple(perDimension(input.input_size, 2, 'input_size', 1))}, kernel_size=${py.tuple(k)}, ` +
      `dilation=${py.tuple(g.dilation)}, padding=${py.tuple(g.pads.map(([l]) => l))}, stride=${py.tuple(g.stride)})`,
  ];
}

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
    ? '\nRun: python3 this_file.py --check-steps\n  re-runs the check of every derivation step on a small random instance (torch.allclose).'
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

// ---------------------------------------------------------------------------------------
// Step checks (PyTorch): each step of the derivation re-run on a small random instance.

/** Lines that compute the sum of `terms` from a dict `inputs` into `into`. */
function sumLines(terms: readonly NetworkTerm[], into: string, indent: string): string[] {
  const lines: string[] = [];
  const parts = terms.map(prepareTerm).map((t, j) => {
    const name = `${into}_${j + 1}`;
    const shape = t.resultShape.length ? t.resultShape.join(', ') : '()';
    if (t.operands.length === 0) {
      lines.push(
        `${indent}${name} = torch.full(${py.tuple(t.resultShape)}, ${py.num(t.coefficient)}, dtype=DTYPE)`,
      );
      return name;
    }
    const operands = t.operands.map((o) => operandExpr('torch', o, t.network.sizes)).join(', ');
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

function checkFunction(c: DiagramCheck, seed: number): string[] | null {
  const name = `check_step_${c.step + 1}`;
  const doc = `    """Step ${c.step + 1}, ${commentText(c.label)} (${commentText(verdictText(c))})."""`;
  if (c.kind === 'rewrite') {
    const shapes: Record<string, number[]> = {};
    for (const t of c.before) Object.assign(shapes, requireInputShapes(t.network));
    return [
      `def ${name}():`,
      doc,
      `    inputs = random_inputs_of(${shapesDict(shapes)}, ${seed})`,
      ...sumLines(c.before, 'before', '    '),
      ...sumLines(c.after, 'after', '    '),
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
    ...sumLines([{ coefficient: 1, network: c.before }], 'value', '        '),
    '        return value',
    '',
    '    def derived(inputs):',
    ...sumLines(c.terms, 'value', '        '),
    '        return value',
    '',
    '    def at(value):',
    `        return before({**given, ${src}: value})`,
    '',
  ];
  if (c.kind === 'vjp') {
    lines.push(
      `    x = given[${src}].clone().requires_grad_(True)`,
      `    want = torch.autograd.grad(at(x), x, given[${py.str(c.extra ?? 'v')}])[0]`,
      '    return compare(derived(given), want)',
    );
  } else if (c.kind === 'jvp') {
    lines.push(
      `    want = torch.autograd.functional.jvp(at, given[${src}], given[${py.str(c.extra ?? 'v')}])[1]`,
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

const CHECK_HELPERS = `def random_inputs_of(shapes, seed):
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

/** The `--check-steps` part of a PyTorch script (no lines without checks). */
function checkLines(checks: DiagramChecks | undefined, seed: number): string[] {
  if (!checks) return [];
  const made = checks.checks.map((c) => ({ c, fn: checkFunction(c, seed) }));
  const lines: string[] = [CHECK_HELPERS, '', ''];
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
  const usesDelta = [...terms.map((t) => t.network), ...(fw === 'torch' ? checked : [])].some(
    (n) => n.tensors.some((o) => o.kind === 'delta'),
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
    fileHeader(subject, terms, fw, inputsLine, fw === 'torch' && options.checks !== undefined),
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

  const checks = fw === 'torch' ? checkLines(options.checks, 1) : [];
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
