import { formatEinsum, formatEquation } from '../einsum/index.ts';
import { fail } from '../errors.ts';
import { convOutputSize } from '../indexPattern.ts';
import type { Network, PatternParams, Tensor } from '../network.ts';
import { inputShapes } from '../notebook/build.ts';
import type { Term } from '../expression.ts';
import type { StepAppliers } from '../notebook/appliers.ts';
import { buildDiagram } from '../notebook/derive.ts';
import type { DiagramCell } from '../notebook/schema.ts';
import type { OpInput, OpName } from '../ops/index.ts';
import { planNetwork, sequentialPath, type LinearPath } from '../planner/index.ts';
import { layerOpInput } from '../layer.ts';

/**
 * What the exporters turn into code: the value Σ coefficient · network (one term for most
 * diagrams; derivatives by a repeated input give several), and, when the network is
 * exactly one of the library's operations, the operation and its input (for a check
 * against the framework's built-in).
 */
export interface ExportSubject {
  terms: Term[];
  op?: OpName;
  opInput?: OpInput;
  /** One line for the file's header. */
  title?: string;
}

export function subjectOfNetwork(
  network: Network,
  extra: Omit<ExportSubject, 'terms'> = {},
): ExportSubject {
  return { terms: [{ coefficient: 1, network }], ...extra };
}

/** A diagram cell with its steps applied; a preset without steps keeps its operation. */
export function subjectOfDiagram(
  cell: Pick<DiagramCell, 'source' | 'steps' | 'title'>,
  appliers?: StepAppliers,
): ExportSubject {
  const built = buildDiagram(cell, appliers);
  if (!built.ok) fail(built.error);
  const title = cell.title ?? (cell.source.kind === 'preset' ? cell.source.op : 'tensor network');
  if (cell.source.kind === 'preset' && cell.steps.length === 0) {
    return {
      terms: built.sum.terms,
      op: cell.source.op,
      opInput: layerOpInput(cell.source.op, cell.source.layer),
      title,
    };
  }
  return { terms: built.sum.terms, title };
}

/** The shape of every input, over all terms (a conflict between terms is an error). */
export function subjectInputShapes(subject: ExportSubject): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const { network } of subject.terms) {
    for (const [name, shape] of Object.entries(inputShapes(network))) {
      const known = shapes[name];
      if (known && known.join() !== shape.join())
        fail(`input '${name}' has shape [${known}] in one term and [${shape}] in another`);
      shapes[name] = shape;
    }
  }
  if (subject.opInput)
    for (const [name, shape] of Object.entries(subject.opInput.shapes)) shapes[name] = [...shape];
  return shapes;
}

/** Input names in order of first use. */
export function subjectInputs(subject: ExportSubject): string[] {
  const names: string[] = [];
  for (const { network } of subject.terms) {
    for (const t of network.tensors)
      if (t.kind === 'data' && !names.includes(t.source)) names.push(t.source);
  }
  return names;
}

/** One term prepared for code: the non-scalar operands, their letters equation and a path. */
export interface PreparedTerm {
  coefficient: number;
  operands: Tensor[];
  network: Network;
  /** Letters einsum over `operands` (scalars folded into `coefficient`). */
  equation: string;
  /** Named-style einsum of the whole network (for comments). */
  named: string;
  path: LinearPath;
  resultShape: number[];
}

export function prepareTerm(term: Term): PreparedTerm {
  const net = term.network;
  let coefficient = term.coefficient;
  const operands: Tensor[] = [];
  for (const t of net.tensors) {
    if (t.kind === 'scalar') coefficient *= t.value;
    else operands.push(t);
  }
  const reduced: Network = { ...net, tensors: operands };
  let path: LinearPath = [];
  if (operands.length > 0) {
    try {
      path = planNetwork(reduced).path;
    } catch {
      path = sequentialPath(operands.length);
    }
  }
  return {
    coefficient,
    operands,
    network: net,
    equation: operands.length
      ? formatEquation(
          operands.map((t) => t.legs),
          net.output,
          'letters',
        )
      : '',
    named: formatEinsum(net, 'named'),
    path,
    resultShape: [...net.resultShape],
  };
}

/** Whether Π's output size is the one its hyper-parameters give (else it was clipped). */
export function patternOutputIsDefault(p: PatternParams): boolean {
  return (
    convOutputSize(p.inputSize, p.kernelSize, p.stride, p.dilation, p.padLeft, p.padRight) ===
    p.outputSize
  );
}

/** Text safe inside a comment or docstring of generated code: one line, no quotes, escapes or markup. */
export function commentText(text: string, max = 200): string {
  return [...text.slice(0, max)]
    .map((ch) => (/[\p{L}\p{N}\p{M} _'′,.:;()[\]{}+\-*/=|^%#@!?~→·∂∑ΠΣδ]/u.test(ch) ? ch : '?'))
    .join('');
}
