import { EinsketchError, fail } from '../errors.ts';
import { makePattern } from '../indexPattern.ts';
import {
  allIndices,
  checkNetwork,
  cloneNetwork,
  outputShape,
  type Network,
  type Tensor,
  type TensorKind,
} from '../network.ts';

/**
 * Hand edits of a network. Each returns a new, checked network (or throws an
 * EinsketchError saying why the edit would break it); the input is never changed.
 */

/** One end of an index in the diagram. */
export type LegRef =
  | { kind: 'tensor'; tensorId: string; axis: number }
  | { kind: 'output'; position: number }
  /** A new open leg: the output grows by one. */
  | { kind: 'output-new' }
  | { kind: 'hub'; index: string };

const LETTERS = 'abcdefhjklmpqrstuvwxyz';

/** An index name not used in the network: a spare letter, then j1, j2, … */
export function freshIndex(net: Network, avoid: readonly string[] = []): string {
  const used = new Set([...allIndices(net), ...Object.keys(net.sizes), ...avoid]);
  for (const l of LETTERS) if (!used.has(l)) return l;
  for (let n = 1; ; n++) if (!used.has(`j${n}`)) return `j${n}`;
}

function freshTensorId(net: Network, prefix: string): string {
  const used = new Set(net.tensors.map((t) => t.id));
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Drops sizes of vanished indices and open legs no tensor carries; the result is the open legs' shape. */
function finish(net: Network): Network {
  const onTensors = new Set(net.tensors.flatMap((t) => t.legs));
  net.output = net.output.filter((leg) => onTensors.has(leg));
  for (const name of Object.keys(net.sizes)) if (!onTensors.has(name)) delete net.sizes[name];
  net.resultShape = outputShape(net);
  checkNetwork(net);
  return net;
}

/**
 * A data tensor whose legs change shape is a new input: the reshape or slice a rewrite or
 * a preset recorded, and the input shape it was read from, no longer apply.
 */
function asFreshInput(t: Tensor): void {
  if (t.kind !== 'data') return;
  t.transforms = [];
  delete t.sourceShape;
}

function findTensor(net: Network, id: string): Tensor {
  const t = net.tensors.find((x) => x.id === id);
  if (!t) fail(`no tensor '${id}' in the network`);
  return t;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!/^[\p{L}_](?:[\p{L}\p{N}_'′]|\p{M})*$/u.test(n)) {
    fail(`'${name}' is not an index name (a letter or '_', then letters, digits, _ or primes)`);
  }
  return n;
}

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) fail(`a size must be a positive integer, got ${size}`);
  return size;
}

export interface PatternSpec {
  inputSize: number;
  kernelSize: number;
  stride: number;
  padding: number;
  dilation: number;
}

export function addTensor(
  net: Network,
  kind: TensorKind,
  pattern?: PatternSpec,
): { network: Network; id: string } {
  const next = cloneNetwork(net);
  let tensor: Tensor;
  if (kind === 'data') {
    const id = freshTensorId(net, 'T');
    const a = freshIndex(net);
    const b = freshIndex(net, [a]);
    next.sizes[a] = 2;
    next.sizes[b] = 2;
    tensor = { id, label: id, kind: 'data', source: id, transforms: [], legs: [a, b] };
  } else if (kind === 'delta') {
    const id = freshTensorId(net, 'delta');
    const a = freshIndex(net);
    const b = freshIndex(net, [a]);
    next.sizes[a] = 2;
    next.sizes[b] = 2;
    tensor = { id, label: 'δ', kind: 'delta', legs: [a, b] };
  } else if (kind === 'scalar') {
    const id = freshTensorId(net, 's');
    tensor = { id, label: id, kind: 'scalar', value: 1, legs: [] };
  } else {
    const p = pattern ?? { inputSize: 8, kernelSize: 3, stride: 1, padding: 0, dilation: 1 };
    const params = makePattern(
      p.inputSize,
      p.kernelSize,
      p.stride,
      p.dilation,
      p.padding,
      p.padding,
    );
    const id = freshTensorId(net, 'Pi');
    const n = id.slice(2);
    const names = ['k', 'o', 'i'].map((base) => {
      const wanted = `${base}${n}`;
      return allIndices(next).includes(wanted) ? freshIndex(next) : wanted;
    });
    [params.kernelSize, params.outputSize, params.inputSize].forEach(
      (s, j) => (next.sizes[names[j]] = s),
    );
    const digits = [...n].map((d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]).join('');
    tensor = {
      id,
      label: `Π${digits}`,
      kind: 'index_pattern',
      pattern: params,
      roles: ['k', 'o', 'i'],
      legs: names,
    };
  }
  next.tensors.push(tensor);
  return { network: finish(next), id: tensor.id };
}

/**
 * Hyper-parameters under which Π has the shape [K, O, I]: the smallest dilation, then
 * the smallest stride and symmetric padding that give O outputs; undefined if none does.
 * Undilated, small strides come first because they are what a layer usually has.
 */
export function patternFitting(
  kernelSize: number,
  outputSize: number,
  inputSize: number,
): PatternSpec | undefined {
  const maxDilation = Math.min(inputSize, 16);
  for (let dilation = 1; dilation <= maxDilation; dilation++) {
    for (let stride = 1; stride <= inputSize; stride++) {
      const extent = kernelSize + (kernelSize - 1) * (dilation - 1);
      for (let padding = 0; padding < Math.max(extent, 1); padding++) {
        if (extent > inputSize + 2 * padding) continue;
        const o = 1 + Math.floor((inputSize + 2 * padding - extent) / stride);
        if (o === outputSize) return { inputSize, kernelSize, stride, padding, dilation };
      }
    }
  }
  return undefined;
}

/**
 * Makes a data tensor with legs [k, o, i] an index pattern (an operand loaded from an
 * einsum, say, that is really Π), with the hyper-parameters `spec` or the first that fit.
 */
export function convertToPattern(net: Network, id: string, spec?: PatternSpec): Network {
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind !== 'data') fail(`${t.label} is not a data tensor`);
  if (t.legs.length !== 3) fail(`${t.label} has ${t.legs.length} legs; Π has three: k, o, i`);
  const [k, o, i] = t.legs.map((leg) => next.sizes[leg]);
  const fit = spec ?? patternFitting(k, o, i);
  if (!fit)
    fail(`no stride, padding and dilation give ${o} outputs from input ${i} with kernel ${k}`);
  const params = makePattern(
    fit.inputSize,
    fit.kernelSize,
    fit.stride,
    fit.dilation,
    fit.padding,
    fit.padding,
  );
  if (params.kernelSize !== k || params.outputSize !== o || params.inputSize !== i) {
    fail(
      `Π(I=${params.inputSize}, K=${params.kernelSize}) has shape [${params.kernelSize}, ${params.outputSize}, ${params.inputSize}], not [${k}, ${o}, ${i}]`,
    );
  }
  const at = next.tensors.indexOf(t);
  next.tensors[at] = {
    id: t.id,
    label: t.label,
    kind: 'index_pattern',
    pattern: params,
    roles: ['k', 'o', 'i'],
    legs: [...t.legs],
  };
  return finish(next);
}

export function removeTensor(net: Network, id: string): Network {
  findTensor(net, id);
  const next = cloneNetwork(net);
  next.tensors = next.tensors.filter((t) => t.id !== id);
  return finish(next);
}

const withoutPrimes = (name: string): string => name.replace(/['′]+$/, '');

/**
 * Renames a tensor. A data tensor's name is also the input it reads (what the run panel
 * asks for and the exports take as an argument), so the input is renamed with it, and the
 * other copies of that input (x′ beside x) follow: x′ becomes y′ when x becomes y. An input
 * name another input already has is refused, since it would silently merge the two.
 */
export function relabelTensor(net: Network, id: string, label: string): Network {
  const text = label.trim();
  if (text === '') fail('a tensor needs a name');
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind !== 'data') {
    t.label = text;
    return next;
  }
  const oldSource = t.source;
  const newSource = withoutPrimes(text) || text;
  if (newSource !== oldSource) {
    const taken = next.tensors.find(
      (o) => o.kind === 'data' && o.source === newSource && o.source !== oldSource,
    );
    if (taken) fail(`input '${newSource}' is already read by ${taken.label}; pick another name`);
  }
  const oldBase = withoutPrimes(t.label);
  for (const o of next.tensors) {
    if (o.kind !== 'data' || o.source !== oldSource) continue;
    o.source = newSource;
    if (o === t) continue;
    // A copy named after the old name keeps its primes under the new one.
    if (withoutPrimes(o.label) === oldBase) o.label = newSource + o.label.slice(oldBase.length);
  }
  t.label = text;
  return next;
}

export function setScalar(net: Network, id: string, value: number): Network {
  if (!Number.isFinite(value)) fail(`a scalar must be a finite number, got ${value}`);
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind !== 'scalar') fail(`${t.label} is not a scalar`);
  t.value = value;
  return next;
}

export function addLeg(net: Network, id: string, size?: number): Network {
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind === 'scalar' || t.kind === 'index_pattern')
    fail(`legs of ${t.label} are fixed by its kind`);
  const name = freshIndex(next);
  next.sizes[name] = checkSize(
    t.kind === 'delta' && t.legs.length > 0 ? next.sizes[t.legs[0]] : (size ?? 2),
  );
  asFreshInput(t);
  t.legs.push(name);
  return finish(next);
}

export function removeLeg(net: Network, id: string, axis: number): Network {
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind === 'index_pattern') fail(`legs of ${t.label} are fixed by its kind`);
  if (axis < 0 || axis >= t.legs.length) fail(`${t.label} has no leg ${axis + 1}`);
  asFreshInput(t);
  t.legs.splice(axis, 1);
  return finish(next);
}

/** Gives one leg another index: a new name disconnects it, an existing one joins that index. */
export function renameLeg(net: Network, id: string, axis: number, name: string): Network {
  const newName = checkName(name);
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  const old = t.legs[axis];
  if (old === undefined) fail(`${t.label} has no leg ${axis + 1}`);
  if (old === newName) return next;
  const size = next.sizes[old];
  const known = next.sizes[newName];
  if (known !== undefined && known !== size)
    fail(`index '${newName}' has size ${known} but leg '${old}' has size ${size}`);
  next.sizes[newName] = size;
  t.legs[axis] = newName;
  const stillUsed = next.tensors.some((x) => x.legs.includes(old));
  if (!stillUsed)
    next.output = next.output
      .map((l) => (l === old ? newName : l))
      .filter((l, k, all) => all.indexOf(l) === k);
  return finish(next);
}

/** Renames an index everywhere; an existing name merges the two (sizes must agree). */
export function renameIndex(net: Network, index: string, name: string): Network {
  const newName = checkName(name);
  if (net.sizes[index] === undefined) fail(`no index '${index}' in the network`);
  if (newName === index) return cloneNetwork(net);
  const next = cloneNetwork(net);
  const known = next.sizes[newName];
  if (known !== undefined && known !== next.sizes[index]) {
    fail(`index '${newName}' has size ${known} but '${index}' has size ${next.sizes[index]}`);
  }
  next.sizes[newName] = next.sizes[index];
  for (const t of next.tensors) t.legs = t.legs.map((l) => (l === index ? newName : l));
  next.output = next.output
    .map((l) => (l === index ? newName : l))
    .filter((l, k, all) => all.indexOf(l) === k);
  return finish(next);
}

export function resizeIndex(net: Network, index: string, size: number): Network {
  if (net.sizes[index] === undefined) fail(`no index '${index}' in the network`);
  const next = cloneNetwork(net);
  next.sizes[index] = checkSize(size);
  for (const t of next.tensors) if (t.legs.includes(index)) asFreshInput(t);
  return finish(next);
}

/** Makes an index an open leg (appended to the output) or sums it (removed from the output). */
export function toggleOpen(net: Network, index: string): Network {
  if (net.sizes[index] === undefined) fail(`no index '${index}' in the network`);
  const next = cloneNetwork(net);
  next.output = next.output.includes(index)
    ? next.output.filter((l) => l !== index)
    : [...next.output, index];
  return finish(next);
}

function indexAt(net: Network, ref: LegRef): string | undefined {
  switch (ref.kind) {
    case 'tensor':
      return findTensor(net, ref.tensorId).legs[ref.axis];
    case 'output':
      return net.output[ref.position];
    case 'hub':
      return ref.index;
    case 'output-new':
      return undefined;
  }
}

/**
 * Joins two legs into one index. The leg dragged (`from`) is plugged into the other end:
 * a tensor leg takes the index it is dropped on, so that index keeps its other ends; on
 * the output it becomes an open leg. A drag that starts at the output or a hub and ends on
 * a tensor leg plugs that leg in the same way.
 */
export function connect(net: Network, from: LegRef, to: LegRef): Network {
  if (from.kind !== 'tensor' && to.kind === 'tensor') return connect(net, to, from);
  const moved = indexAt(net, from);
  if (moved === undefined) fail('drag from a leg of a tensor');
  if (to.kind === 'output-new') {
    if (net.output.includes(moved)) fail(`index '${moved}' is already an open leg`);
    const next = cloneNetwork(net);
    next.output.push(moved);
    return finish(next);
  }
  const target = indexAt(net, to);
  if (target === undefined) fail('that leg does not exist');
  if (target === moved) return cloneNetwork(net);
  if (net.sizes[target] !== net.sizes[moved]) {
    throw new EinsketchError(
      `cannot join index '${moved}' (size ${net.sizes[moved]}) with '${target}' (size ${net.sizes[target]})`,
    );
  }
  if (to.kind === 'output') {
    if (net.output.includes(moved)) fail(`index '${moved}' is already an open leg`);
    const next = cloneNetwork(net);
    next.output[to.position] = moved;
    return finish(next);
  }
  if (from.kind === 'tensor') return renameLeg(net, from.tensorId, from.axis, target);
  return renameIndex(net, moved, target);
}

/** Cuts one end off an index: a tensor leg gets a fresh index, an output end is summed. */
export function disconnect(net: Network, end: LegRef): Network {
  if (end.kind === 'tensor') return renameLeg(net, end.tensorId, end.axis, freshIndex(net));
  if (end.kind === 'output') {
    const next = cloneNetwork(net);
    next.output.splice(end.position, 1);
    return finish(next);
  }
  fail('pick the end of an edge at a tensor or the output');
}

/** New hyper-parameters for an index pattern; its legs take the sizes they imply. */
export function setPattern(net: Network, id: string, spec: PatternSpec): Network {
  const next = cloneNetwork(net);
  const t = findTensor(next, id);
  if (t.kind !== 'index_pattern') fail(`${t.label} is not an index pattern`);
  if (t.keep) fail(`${t.label} was thinned by dropout; its hyper-parameters are fixed now`);
  const params = makePattern(
    spec.inputSize,
    spec.kernelSize,
    spec.stride,
    spec.dilation,
    spec.padding,
    spec.padding,
  );
  t.pattern = params;
  t.roles.forEach((role, j) => {
    const leg = t.legs[j];
    next.sizes[leg] =
      role === 'k' ? params.kernelSize : role === 'o' ? params.outputSize : params.inputSize;
    for (const u of next.tensors) if (u.legs.includes(leg)) asFreshInput(u);
  });
  return finish(next);
}
