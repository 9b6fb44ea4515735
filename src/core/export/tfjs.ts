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
import { js, operandExpr } from './tfjsOperands.ts';
import { checkSteps } from './tfjsStepChecks.ts';

/**
 * TensorFlow.js code of a tensor network, as an ES module. Not tf.einsum: it takes at most
 * two operands and broadcasts everything into one tensor over all indices (docs/design.md §5.2:
 * a 256×256 matrix product ran 30× slower than tf.matMul on WebGPU). Instead every
 * pairwise step of einsketch's planned path is lowered to tf ops: legs only one side
 * needs are summed (tf.sum), then transpose → reshape → batched tf.matMul → reshape.
 * Π and δ are built as float32 tensors in code; inputs are viewed, sliced and gathered
 * (tf.reshape, tf.gather) as the network records. The module exports `contract(inputs)`
 * and, run with Node, reads `node file.mjs [inputs.json] [result.json]`.
 */

export interface TfjsOptions {
  /** Module to import tf from (default '@tensorflow/tfjs'; '@tensorflow/tfjs-core' plus a backend also works). */
  tfModule?: string;
  /**
   * The diagram's step checks (src/core/check/diagramChecks.ts): the module exports
   * `checkSteps()` / `assertSteps()`, and `node file.mjs --check-steps` re-runs them.
   */
  checks?: DiagramChecks;
}

const HELPERS = `/**
 * The index pattern of one spatial dimension, a [K, O, I] tensor:
 * Π[k, o, i] = 1 if i = k·D + o·S − P_left and 0 ≤ i < I, else 0 (padding has no entry).
 */
export function indexPattern(I, K, S, D, Pleft, Pright, O = 1 + Math.floor((I + Pleft + Pright - (K + (K - 1) * (D - 1))) / S)) {
  const data = new Float32Array(K * O * I);
  for (let k = 0; k < K; k++) {
    for (let o = 0; o < O; o++) {
      const i = k * D + o * S - Pleft;
      if (i >= 0 && i < I) data[(k * O + o) * I + i] = 1;
    }
  }
  return tf.tensor(data, [K, O, I]);
}

/** Kronecker delta with \`legs\` legs of \`size\`: 1 where all indices agree. */
export function delta(size, legs) {
  const data = new Float32Array(size ** legs);
  let step = 0;
  for (let a = 0; a < legs; a++) step = step * size + 1;
  for (let v = 0; v < size; v++) data[v * step] = 1;
  return tf.tensor(data, new Array(legs).fill(size));
}

/** The entries \`indices\` of one axis, in that order. */
function gather(x, indices, axis) {
  return tf.gather(x, tf.tensor1d(indices, 'int32'), axis);
}

/** Sums the legs not in \`keep\` and orders the rest as \`keep\`. */
function reduceTo(x, legs, keep) {
  const summed = legs.map((leg, a) => (keep.includes(leg) ? -1 : a)).filter((a) => a >= 0);
  const rest = legs.filter((leg) => keep.includes(leg));
  const y = summed.length ? tf.sum(x, summed) : x;
  const order = keep.map((leg) => rest.indexOf(leg));
  return order.every((a, j) => a === j) ? y : tf.transpose(y, order);
}

const size = (legs, sizes) => legs.reduce((p, leg) => p * sizes[leg], 1);

/**
 * Contracts two operands, keeping the legs \`keep\` in that order: legs on one side only
 * that are not kept are summed first; then batch legs (on both sides, kept), the free legs
 * of each side and the contracted legs (on both sides, not kept) become one batched matMul.
 */
function contractPair(a, aLegs, b, bLegs, keep, sizes) {
  const onlyA = (leg) => !bLegs.includes(leg);
  const onlyB = (leg) => !aLegs.includes(leg);
  const aKeep = aLegs.filter((leg) => keep.includes(leg) || !onlyA(leg));
  const bKeep = bLegs.filter((leg) => keep.includes(leg) || !onlyB(leg));
  a = reduceTo(a, aLegs, aKeep);
  b = reduceTo(b, bLegs, bKeep);
  const batch = aKeep.filter((leg) => bKeep.includes(leg) && keep.includes(leg));
  const inner = aKeep.filter((leg) => bKeep.includes(leg) && !keep.includes(leg));
  const left = aKeep.filter((leg) => !bKeep.includes(leg));
  const right = bKeep.filter((leg) => !aKeep.includes(leg));
  const at = tf.reshape(reduceTo(a, aKeep, [...batch, ...left, ...inner]), [size(batch, sizes), size(left, sizes), size(inner, sizes)]);
  const bt = tf.reshape(reduceTo(b, bKeep, [...batch, ...inner, ...right]), [size(batch, sizes), size(inner, sizes), size(right, sizes)]);
  const legs = [...batch, ...left, ...right];
  const c = tf.reshape(tf.matMul(at, bt), legs.map((leg) => sizes[leg]));
  return reduceTo(c, legs, keep);
}

/** Contracts operands [tensor, legs] along a path in opt_einsum's linear format. */
function contractPath(operands, path, output, sizes) {
  let ops = [...operands];
  for (const step of path) {
    const picked = step.map((p) => ops[p]);
    ops = ops.filter((_, p) => !step.includes(p));
    const later = [...output, ...ops.flatMap(([, legs]) => legs)];
    // Left to right; a partial result keeps what the rest of the step, the other operands
    // or the output still need.
    let [x, xLegs] = picked[0];
    for (let j = 1; j < picked.length; j++) {
      const [y, yLegs] = picked[j];
      const needed = new Set([...later, ...picked.slice(j + 1).flatMap(([, legs]) => legs)]);
      const keep = [...new Set([...xLegs, ...yLegs])].filter((leg) => needed.has(leg));
      x = contractPair(x, xLegs, y, yLegs, keep, sizes);
      xLegs = keep;
    }
    if (picked.length === 1) {
      const keep = xLegs.filter((leg) => later.includes(leg));
      x = reduceTo(x, xLegs, keep);
      xLegs = keep;
    }
    ops.push([x, xLegs]);
  }
  return reduceTo(ops[0][0], ops[0][1], output);
}`;

function header(
  subject: ExportSubject,
  terms: PreparedTerm[],
  tfModule: string,
  withChecks: boolean,
): string {
  const title = commentText(subject.title ?? subject.op ?? 'tensor network');
  return [
    `// ${title}: a tensor network exported by einsketch.`,
    ...terms.map((t) => `//   ${commentText(t.named, 2000)}`),
    '//',
    "// Each pairwise step of einsketch's contraction plan is lowered to tf.transpose, tf.reshape",
    '// and a batched tf.matMul (not tf.einsum, which takes two operands and is slow on WebGPU).',
    '// float32. Use: import { contract } and call contract({ x: tf.tensor(...), ... }), or in Node',
    '//   node this_file.mjs [inputs.json] [result.json]',
    '// with inputs.json as {"x": {"shape": [...], "data": [...]}, ...} (or a request with "tensors");',
    '// without it the inputs are random. Import a backend first (e.g. @tensorflow/tfjs-node or',
    `// @tensorflow/tfjs-backend-webgpu) if ${commentText(tfModule)} does not bring one.`,
    ...(withChecks
      ? [
          '//   node this_file.mjs --check-steps',
          '// re-runs the check of every derivation step on a small random instance (allclose; a',
          '// derivative against tf.grad) and exits with status 1 if one fails.',
        ]
      : []),
    `import * as tf from ${js.str(tfModule)};`,
  ].join('\n');
}

export function exportTfjs(subject: ExportSubject, options: TfjsOptions = {}): string {
  if (subject.terms.length === 0) fail('nothing to export: the expression has no terms');
  const tfModule = options.tfModule ?? '@tensorflow/tfjs';
  const terms = subject.terms.map(prepareTerm);
  const shapes = subjectInputShapes(subject);
  const names = subjectInputs(subject).filter((n) => shapes[n]);
  const lines: string[] = [header(subject, terms, tfModule, options.checks !== undefined), ''];
  lines.push(
    `export const INPUT_SHAPES = {${names.map((n) => `${js.str(n)}: ${js.list(shapes[n])}`).join(', ')}};`,
    '',
  );
  lines.push(HELPERS, '');
  lines.push(
    "/** The network's value from input tensors {name: tf.Tensor}. */",
    'export function contract(inputs) {',
    '  return tf.tidy(() => {',
  );
  terms.forEach((t, j) => {
    const name = `term${j + 1}`;
    if (t.operands.length === 0) {
      lines.push(
        `    const ${name} = tf.reshape(tf.scalar(${js.num(t.coefficient)}), ${js.list(t.resultShape)});`,
      );
      return;
    }
    lines.push(`    const sizes${j + 1} = ${JSON.stringify(t.network.sizes)};`);
    lines.push(`    const operands${j + 1} = [`);
    for (const o of t.operands) {
      lines.push(
        `      [${operandExpr(o, t.network.sizes)}, ${js.list(o.legs)}], // ${commentText(o.label)}`,
      );
    }
    lines.push('    ];');
    const value = `contractPath(operands${j + 1}, ${JSON.stringify(t.path)}, ${js.list(t.network.output)}, sizes${j + 1})`;
    const scaled = t.coefficient === 1 ? value : `tf.mul(${value}, ${js.num(t.coefficient)})`;
    lines.push(`    const ${name} = tf.reshape(${scaled}, ${js.list(t.resultShape)});`);
  });
  lines.push(
    `    return ${terms.length === 1 ? 'term1' : `tf.addN([${terms.map((_, j) => `term${j + 1}`).join(', ')}])`};`,
    '  });',
    '}',
    '',
  );
  const checks = checkSteps(options.checks, 1);
  lines.push(...checks);
  lines.push(
    '/** Input tensors from {name: {shape, data}} (or a request holding "tensors"). */',
    'export function loadInputs(spec) {',
    '  const tensors = spec.tensors ?? spec;',
    '  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, tf.tensor(t.data, t.shape)]));',
    '}',
    '',
    'export function randomInputs(seed = 0) {',
    '  return Object.fromEntries(Object.entries(INPUT_SHAPES).map(([name, shape], j) => [name, tf.randomNormal(shape, 0, 1, "float32", seed + j)]));',
    '}',
    '',
    "const isMain = typeof process !== 'undefined' && process.argv?.[1] !== undefined &&",
    "  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;",
    ...(checks.length
      ? [
          "if (isMain && process.argv.includes('--check-steps')) {",
          '  process.exit(checkSteps(console.error).passed ? 0 : 1);',
          '}',
        ]
      : []),
    'if (isMain) {',
    "  const { readFileSync, writeFileSync } = await import('node:fs');",
    "  const inputs = process.argv[2] ? loadInputs(JSON.parse(readFileSync(process.argv[2], 'utf8'))) : randomInputs();",
    '  const result = contract(inputs);',
    '  const text = JSON.stringify({ shape: result.shape, data: Array.from(await result.data()) });',
    '  if (process.argv[3]) writeFileSync(process.argv[3], text);',
    '  else console.log(text);',
    '}',
    '',
  );
  return lines.join('\n');
}
