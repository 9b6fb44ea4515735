import fc from 'fast-check';
import { OP_NAMES } from '../../../src/core/ops/index.ts';
import { buildSource } from '../../../src/core/notebook/build.ts';
import {
  DOCUMENT_VERSION,
  RULE_NAMES_V1,
  type Cell,
  type DiagramCell,
  type NotebookDocument,
  type ChartCell,
  type RunCell,
  type Step,
} from '../../../src/core/notebook/schema.ts';
import { PRESET_LAYER_2D, smallPreset } from '../../helpers/smallPresets.ts';

/** fast-check generators of valid notebook documents (every default filled in). */

export const HOSTILE_TEXT = [
  '<script>alert(1)</script>',
  '[click](javascript:alert(1))',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  '"><svg onload=alert(1)>',
  '$\\href{javascript:alert(1)}{x}$',
  '\u2028\u2029 \u0000 \ud800 emoji 🧮 Π₁ δ ∑',
];

const oneLine = (max: number) =>
  fc
    .string({ maxLength: max, unit: 'grapheme' })
    .map((s) => [...s].map((ch) => (ch.charCodeAt(0) < 32 || ch === '\u007f' ? ' ' : ch)).join(''));

const proseText = fc.oneof(
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.constantFrom(...HOSTILE_TEXT),
);

const id = (prefix: string) => fc.integer({ min: 0, max: 1e6 }).map((n) => `${prefix}-${n}`);

const dims = fc.integer({ min: 1, max: 3 });

export const layerArb = dims.chain((d) => {
  const list = (min: number, max: number) =>
    fc.array(fc.integer({ min, max }), { minLength: d, maxLength: d });
  return fc
    .record({
      batch: fc.integer({ min: 1, max: 8 }),
      groups: fc.integer({ min: 1, max: 4 }),
      inPer: fc.integer({ min: 1, max: 8 }),
      outPer: fc.integer({ min: 1, max: 8 }),
      input: list(1, 64),
      kernel: list(1, 7),
      stride: list(1, 4),
      padding: fc.oneof(list(0, 3), fc.constantFrom('same' as const, 'valid' as const)),
      dilation: list(1, 3),
      outputPadding: list(0, 2),
    })
    .map(({ inPer, outPer, ...l }) => ({
      batch: l.batch,
      inChannels: inPer * l.groups,
      outChannels: outPer * l.groups,
      input: l.input,
      kernel: l.kernel,
      stride: l.stride,
      padding: l.padding,
      dilation: l.dilation,
      groups: l.groups,
      outputPadding: l.outputPadding,
    }));
});

const legName = fc.constantFrom('n', 'g', 'c_in', 'o1', 'i2', "k1'", 'a′');

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('derivative' as const),
      source: fc.constantFrom('x', 'weight', 'v'),
      occurrence: fc.constantFrom('x', 'x2'),
      term: fc.nat(3),
    },
    { requiredKeys: ['kind', 'source'] },
  ),
  fc.record(
    {
      kind: fc.constant('vjp' as const),
      source: fc.constantFrom('x', 'weight'),
      vector: fc.constant('u'),
    },
    { requiredKeys: ['kind', 'source'] },
  ),
  fc.record({ kind: fc.constant('jvp' as const), source: fc.constantFrom('x', 'weight') }),
  fc.record(
    {
      kind: fc.constant('simplify' as const),
      steps: fc.integer({ min: 0, max: 20 }),
      disabled: fc.subarray([...RULE_NAMES_V1]),
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record({
    kind: fc.constant('dropout' as const),
    index: legName,
    keep: fc.double({ min: 0.01, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }),
  fc.record({ kind: fc.constant('squared_norm' as const), keep: fc.subarray(['n', 'g']) }),
);

const sourceArb = fc.oneof(
  fc.record(
    {
      kind: fc.constant('preset' as const),
      op: fc.constantFrom(...OP_NAMES),
      layer: layerArb,
      name: fc.constant('resnet18.conv1'),
      presetId: fc.constant('dense_patchify'),
    },
    { requiredKeys: ['kind', 'op', 'layer'] },
  ),
  fc.record({
    kind: fc.constant('einsum' as const),
    equation: fc.string({ minLength: 1, maxLength: 80 }),
    shapes: fc.array(fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  fc
    .constantFrom(...OP_NAMES)
    .map((op) => ({ kind: 'network' as const, network: buildSource(smallPreset(op)) })),
);

const finite = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })
  .map((x) => (x === 0 ? 0 : x));
const nonNeg = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e6 })
  .map((x) => (x === 0 ? 0 : x));

export function diagramArb(cellId: fc.Arbitrary<string>): fc.Arbitrary<DiagramCell> {
  return fc.record(
    {
      id: cellId,
      kind: fc.constant('diagram' as const),
      title: oneLine(40),
      source: sourceArb,
      steps: fc.array(stepArb, { maxLength: 4 }),
      view: fc.record(
        {
          style: fc.constantFrom('named' as const, 'letters' as const),
          layout: fc.constantFrom('auto' as const, 'manual' as const),
          positions: fc.dictionary(
            fc.constantFrom('x', 'weight', 'Pi1', 'hub:o1', 'out 0'),
            fc.record({ x: finite, y: finite }),
          ),
          showSizes: fc.boolean(),
          showFormula: fc.boolean(),
          showSteps: fc.boolean(),
        },
        { requiredKeys: ['style', 'layout', 'showSizes', 'showFormula', 'showSteps'] },
      ),
    },
    { requiredKeys: ['id', 'kind', 'source', 'steps', 'view'] },
  ) as fc.Arbitrary<DiagramCell>;
}

const stats = fc.record({ mean: nonNeg, sd: nonNeg, min: nonNeg, max: nonNeg });

const resultArb = fc.record(
  {
    backend: fc.constantFrom('webgpu', 'cpu', 'wasm'),
    at: fc.constant('2025-01-01T00:00:00.000Z'),
    shape: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 5 }),
    maxError: fc.option(nonNeg, { nil: null }),
    timeTnMs: fc.option(nonNeg, { nil: null }),
    timeBuiltinMs: fc.option(nonNeg, { nil: null }),
    preview: fc.array(finite, { maxLength: 8 }),
    relativeError: fc.option(nonNeg, { nil: null }),
    relativeCost: fc.option(nonNeg, { nil: null }),
    spread: fc.record(
      {
        draws: fc.integer({ min: 2, max: 16 }),
        relativeError: stats,
        timeTnMs: stats,
      },
      { requiredKeys: ['draws'] },
    ),
  },
  { requiredKeys: ['backend', 'at', 'shape', 'maxError', 'timeTnMs', 'timeBuiltinMs'] },
);

export const documentArb: fc.Arbitrary<NotebookDocument> = fc
  .record({
    title: oneLine(60),
    prose: fc.array(
      fc.record({ id: id('text'), kind: fc.constant('prose' as const), text: proseText }),
      { maxLength: 4 },
    ),
    diagrams: fc.array(diagramArb(id('diagram')), { maxLength: 3 }),
    runs: fc.array(
      fc.record({
        pick: fc.nat(),
        backend: fc.constantFrom('auto' as const, 'webgpu' as const, 'cpu' as const),
        seed: fc.integer({ min: 0, max: 1000 }),
        repeats: fc.integer({ min: 1, max: 100 }),
        warmup: fc.integer({ min: 0, max: 20 }),
        draws: fc.integer({ min: 1, max: 16 }),
        compareBuiltin: fc.boolean(),
        inputs: fc.constantFrom('uniform' as const, 'smooth' as const),
        estimates: fc.option(fc.nat(), { nil: undefined }),
        lastResult: fc.option(resultArb, { nil: null }),
      }),
      { maxLength: 3 },
    ),
    charts: fc.array(
      fc.record({
        title: fc.option(oneLine(40), { nil: undefined }),
        x: fc.constantFrom('relativeCost' as const, 'flops' as const, 'timeTnMs' as const),
        y: fc.constantFrom('relativeError' as const, 'maxError' as const, 'timeTnMs' as const),
        picks: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
      { maxLength: 2 },
    ),
    order: fc.array(fc.nat(), { maxLength: 10 }),
  })
  .map(({ title, prose, diagrams, runs, charts, order }) => {
    const cells: Cell[] = [];
    const seen = new Set<string>();
    const push = (c: Cell) => {
      if (!seen.has(c.id)) {
        seen.add(c.id);
        cells.push(c);
      }
    };
    prose.forEach(push);
    diagrams.forEach(push);
    const diagramIds = cells.filter((c) => c.kind === 'diagram').map((c) => c.id);
    if (diagramIds.length) {
      runs.forEach(({ pick, estimates, ...r }, j) =>
        push({
          id: `run-${j}`,
          kind: 'run',
          diagram: diagramIds[pick % diagramIds.length],
          ...(estimates === undefined
            ? {}
            : { estimates: diagramIds[estimates % diagramIds.length] }),
          ...r,
        } as RunCell),
      );
    }
    const runIds = cells.filter((c) => c.kind === 'run').map((c) => c.id);
    if (runIds.length) {
      charts.forEach(({ title, picks, ...c }, j) =>
        push({
          id: `chart-${j}`,
          kind: 'chart',
          ...(title === undefined ? {} : { title }),
          ...c,
          series: picks.map((ps, k) => ({
            label: `series ${k}`,
            runs: ps.map((p) => runIds[p % runIds.length]),
          })),
        } as ChartCell),
      );
    }
    // Shuffle deterministically from `order`.
    for (let j = 0; j < order.length && cells.length > 1; j++) {
      const a = j % cells.length;
      const b = order[j] % cells.length;
      [cells[a], cells[b]] = [cells[b], cells[a]];
    }
    return { version: DOCUMENT_VERSION, title, cells };
  });

export { PRESET_LAYER_2D };
