import { z } from 'zod';
import { NOTEBOOK_LIMITS as L } from './notebookLimits.ts';
import { printableText, quoteText } from '../quoteText.ts';
import {
  presetSourceSchema,
  einsumSourceSchema,
  networkSourceSchema,
  diagramSourceSchema,
  stepSchema,
  viewSchema,
} from './diagramSchema.ts';
import { posInt, nonNegInt, finite, line, cellIdSchema } from './schemaPrimitives.ts';

/**
 * The notebook document (format version 2): `{version, title, cells}` with prose, diagram,
 * run and chart cells. This zod schema is the single definition of what a valid document is;
 * files, share links and tutorials are all read through it, so every string, list and
 * number is bounded (see notebookLimits.ts) and every object is strict (unknown keys are
 * refused). The parts are in schemaPrimitives.ts and diagramSchema.ts; this module has the
 * cells and the document.
 */

/**
 * 2: run cells average `draws` seeded draws and their results keep the `spread` of the
 * draws (version 1 documents read as one draw; see MIGRATIONS in format.ts).
 */
export const DOCUMENT_VERSION = 2;

export {
  layerSchema,
  opNameSchema,
  presetSourceSchema,
  einsumSourceSchema,
  networkSchema,
  networkSourceSchema,
  diagramSourceSchema,
  RULE_NAMES_V1,
  stepSchema,
  viewSchema,
} from './diagramSchema.ts';
export {
  cellIdSchema,
  inputNameSchema,
  legNameSchema,
  tensorIdSchema,
} from './schemaPrimitives.ts';

// ---------------------------------------------------------------------------------------
// Cells

export const proseCellSchema = z
  .object({
    id: cellIdSchema,
    kind: z.literal('prose'),
    /** Markdown; $…$ and $$…$$ are math (rendered with KaTeX). */
    text: z.string().max(L.maxProseLength),
  })
  .strict();

export const diagramCellSchema = z
  .object({
    id: cellIdSchema,
    kind: z.literal('diagram'),
    title: line(L.maxTitleLength).optional(),
    source: diagramSourceSchema,
    steps: z.array(stepSchema).max(L.maxSteps).default([]),
    view: viewSchema.prefault({}),
  })
  .strict();

export const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const INPUT_KINDS = ['uniform', 'smooth'] as const;

const msOrNull = z.number().min(0).refine(Number.isFinite, 'must be finite').nullable();
const nonNegFinite = z.number().min(0).refine(Number.isFinite, 'must be finite');

/** One quantity over a run's draws: mean, sample standard deviation (n − 1), min and max. */
export const drawStatsSchema = z
  .object({ mean: nonNegFinite, sd: nonNegFinite, min: nonNegFinite, max: nonNegFinite })
  .strict();

/** How much a run's quantities moved between its seeded draws (kept for 2 draws or more). */
export const spreadSchema = z
  .object({
    draws: posInt(L.maxDraws),
    relativeError: drawStatsSchema.optional(),
    relativeCost: drawStatsSchema.optional(),
    maxError: drawStatsSchema.optional(),
    timeTnMs: drawStatsSchema.optional(),
    flops: drawStatsSchema.optional(),
  })
  .strict();

export const runResultSchema = z
  .object({
    /** Backend that ran it (e.g. webgpu). */
    backend: line(32),
    /** ISO time of the run. */
    at: line(40),
    shape: z.array(nonNegInt(L.maxIndexSize)).max(L.maxLegs),
    /** Max |TN − built-in| (null when the op has no built-in). */
    maxError: msOrNull,
    /** Median times in ms. */
    timeTnMs: msOrNull,
    timeBuiltinMs: msOrNull,
    flops: z.number().min(0).refine(Number.isFinite, 'must be finite').nullable().optional(),
    peakBytes: z.number().min(0).refine(Number.isFinite, 'must be finite').nullable().optional(),
    /** First entries of the result. */
    preview: z.array(finite).max(L.maxPreview).optional(),
    /**
     * Against the diagram the run cell `estimates`: ‖result − estimated‖ / ‖estimated‖
     * (Frobenius, float64 reference of the estimated network on the same inputs) and the
     * ratio of the two networks' planned FLOPs.
     */
    relativeError: z
      .number()
      .min(0)
      .refine(Number.isFinite, 'must be finite')
      .nullable()
      .optional(),
    relativeCost: z.number().min(0).refine(Number.isFinite, 'must be finite').nullable().optional(),
    /** Set when the run failed. */
    error: z.string().max(500).optional(),
    /**
     * Over several seeded draws (the run cell's `draws`), the numbers above are the means
     * and this holds each one's spread.
     */
    spread: spreadSchema.optional(),
  })
  .strict();

export const runCellSchema = z
  .object({
    id: cellIdSchema,
    kind: z.literal('run'),
    /** Id of the diagram cell it evaluates. */
    diagram: cellIdSchema,
    backend: z.enum(BACKENDS).default('auto'),
    /** Seed of the random inputs. */
    seed: nonNegInt(2 ** 31 - 1).default(0),
    repeats: posInt(L.maxRepeats).default(5),
    /**
     * Seeded draws averaged: draw j uses input seed `seed + j` and re-seeds every dropout
     * step of the diagram (its seed + j), so a chart shows the mean and spread of a random
     * estimate rather than one draw.
     */
    draws: posInt(L.maxDraws).default(1),
    warmup: nonNegInt(L.maxWarmup).default(1),
    /** Also run PyTorch-equivalent built-in (tfjs conv) and report the difference and time. */
    compareBuiltin: z.boolean().default(true),
    /**
     * Values of the random inputs: independent uniform in [−1, 1), or spatially smooth
     * (low-frequency waves plus noise along the last two axes, like natural images).
     */
    inputs: z.enum(INPUT_KINDS).default('uniform'),
    /**
     * A diagram cell this one's diagram estimates (e.g. the exact network of a dropped
     * one, with the same inputs): the run also reports the relative error and cost.
     */
    estimates: cellIdSchema.optional(),
    lastResult: runResultSchema.nullable().default(null),
  })
  .strict();

/** What a chart cell plots of its run cells' last results. */
export const CHART_X = ['relativeCost', 'flops', 'timeTnMs'] as const;
export const CHART_Y = ['relativeError', 'maxError', 'timeTnMs'] as const;

/**
 * A chart of values from several run cells' last results: one line per series, one point
 * per run cell (x and y read from its result), e.g. the error of dropped networks against
 * their cost. It computes nothing itself: it shows what the run cells measured.
 */
export const chartCellSchema = z
  .object({
    id: cellIdSchema,
    kind: z.literal('chart'),
    title: line(L.maxTitleLength).optional(),
    x: z.enum(CHART_X).default('relativeCost'),
    y: z.enum(CHART_Y).default('relativeError'),
    series: z
      .array(
        z
          .object({
            label: line(80, 1),
            runs: z.array(cellIdSchema).min(1).max(L.maxChartPoints),
          })
          .strict(),
      )
      .min(1)
      .max(L.maxChartSeries),
  })
  .strict();

export const cellSchema = z.discriminatedUnion('kind', [
  proseCellSchema,
  diagramCellSchema,
  runCellSchema,
  chartCellSchema,
]);

export const documentSchema = z
  .object({
    version: z.literal(DOCUMENT_VERSION),
    title: line(L.maxTitleLength),
    cells: z.array(cellSchema).max(L.maxCells),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const kinds = new Map<string, string>();
    doc.cells.forEach((cell, j) => {
      if (kinds.has(cell.id))
        ctx.addIssue({
          code: 'custom',
          path: ['cells', j, 'id'],
          message: `'${cell.id}' is used by two cells`,
        });
      kinds.set(cell.id, cell.kind);
    });
    const expect = (
      j: number,
      path: (string | number)[],
      id: string,
      want: string,
      what: string,
    ) => {
      const kind = kinds.get(id);
      if (kind === want) return;
      const why = kind === undefined ? `there is no cell '${id}'` : `'${id}' is a ${kind} cell`;
      ctx.addIssue({ code: 'custom', path: ['cells', j, ...path], message: `${what}, but ${why}` });
    };
    doc.cells.forEach((cell, j) => {
      if (cell.kind === 'run') {
        expect(
          j,
          ['diagram'],
          cell.diagram,
          'diagram',
          `run cell '${cell.id}' evaluates a diagram`,
        );
        if (cell.estimates !== undefined)
          expect(
            j,
            ['estimates'],
            cell.estimates,
            'diagram',
            `run cell '${cell.id}' estimates a diagram`,
          );
      }
      if (cell.kind === 'chart') {
        cell.series.forEach((series, k) =>
          series.runs.forEach((id, p) =>
            expect(
              j,
              ['series', k, 'runs', p],
              id,
              'run',
              `chart cell '${cell.id}' plots run cells`,
            ),
          ),
        );
      }
    });
  });

export type DiagramSource = z.infer<typeof diagramSourceSchema>;
export type PresetSource = z.infer<typeof presetSourceSchema>;
export type EinsumSource = z.infer<typeof einsumSourceSchema>;
export type NetworkSource = z.infer<typeof networkSourceSchema>;
export type Step = z.infer<typeof stepSchema>;
export type StepKind = Step['kind'];
export type DiagramView = z.infer<typeof viewSchema>;
export type ProseCell = z.infer<typeof proseCellSchema>;
export type DiagramCell = z.infer<typeof diagramCellSchema>;
export type RunCell = z.infer<typeof runCellSchema>;
export type ChartCell = z.infer<typeof chartCellSchema>;
export type RunResult = z.infer<typeof runResultSchema>;
export type DrawStats = z.infer<typeof drawStatsSchema>;
export type Spread = z.infer<typeof spreadSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type CellKind = Cell['kind'];
export type NotebookDocument = z.infer<typeof documentSchema>;
/** A document as it may be written (defaults not yet filled in). */
export type NotebookDocumentInput = z.input<typeof documentSchema>;
export type CellInput = z.input<typeof cellSchema>;

/** One line naming where a document is invalid and why. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? printableText(issue.path.map(String).join('.')) : 'document';
  if (issue.code === 'unrecognized_keys')
    return `${where}: unknown field(s) ${issue.keys.map((k) => quoteText(k)).join(', ')}`;
  return `${where}: ${issue.message}`;
}
