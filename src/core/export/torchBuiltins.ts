import { perDimension, resolvePadding } from '../hyper.ts';
import { foldDims } from '../ops/fold.ts';
import type { OpInput, OpName } from '../ops/index.ts';
import { py } from './pythonLiterals.ts';

// Built-ins to check against (PyTorch only; N-d convolutions for N ≤ 3): the line of
// PyTorch that computes the operation, for the script to compare its einsum with.

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
      const stride =
        input.stride === undefined ? kernel : perDimension(input.stride, dims, 'stride', 1);
      const padding = perDimension(
        input.padding as number | number[] | undefined,
        dims,
        'padding',
        0,
      );
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
    lines.push(
      `grads = torch.stack([weight_vjp(n, inputs["v"][n : n + 1]) for n in range(${x[0]})])`,
    );
    lines.push(
      op === 'per_example_grad_norm'
        ? 'return (grads**2).flatten(1).sum(1)'
        : 'return (grads**2).sum(0)',
    );
    return lines;
  }
  lines.push(
    `grads = torch.stack([weight_vjp(n, inputs["s"][c, n : n + 1]) for c in range(${back[0]}) for n in range(${x[0]})])  # row c·N + n`,
  );
  lines.push(
    op === 'ggn_diagonal' ? 'return (grads**2).sum(0)' : 'grads = grads.flatten(1)',
    ...(op === 'ggn_gram' ? ['return grads @ grads.T'] : []),
  );
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
