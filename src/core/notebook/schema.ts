import { z } from 'zod';
import { NOTEBOOK_LIMITS as L } from './notebookLimits.ts';
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
 * The notebook document (format version 1): `{version, title, cells}` with prose, diagram
 * and run cells. This zod schema is the single definition of what a valid document is;
 * files, share links and tutorials are all read through it, so every string, list and
 * number is bounded (see notebookLimits.ts) and every object is strict (unknown keys are
 * refused). The parts are in schemaPrimitives.ts and diagramSchema.ts; this module has the
 * cells and the document.
 */

export const DOCUMENT_VERSION = 1;

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

const msOrNull = z.number().min(0).refine(Number.isFinite, 'must be finite').nullable();

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
    /** Set when the run failed. */
    error: z.string().max(500).optional(),
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
    warmup: nonNegInt(L.maxWarmup).default(1),
    /** Also run PyTorch-equivalent built-in (tfjs conv) and report the difference and time. */
    compareBuiltin: z.boolean().default(true),
    lastResult: runResultSchema.nullable().default(null),
  })
  .strict();

export const cellSchema = z.discriminatedUnion('kind', [
  proseCellSchema,
  diagramCellSchema,
  runCellSchema,
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
    doc.cells.forEach((cell, j) => {
      if (cell.kind !== 'run') return;
      const kind = kinds.get(cell.diagram);
      if (kind !== 'diagram') {
        const why =
          kind === undefined
            ? `there is no cell '${cell.diagram}'`
            : `'${cell.diagram}' is a ${kind} cell`;
        ctx.addIssue({
          code: 'custom',
          path: ['cells', j, 'diagram'],
          message: `run cell '${cell.id}' evaluates a diagram, but ${why}`,
        });
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
export type RunResult = z.infer<typeof runResultSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type CellKind = Cell['kind'];
export type NotebookDocument = z.infer<typeof documentSchema>;
/** A document as it may be written (defaults not yet filled in). */
export type NotebookDocumentInput = z.input<typeof documentSchema>;
export type CellInput = z.input<typeof cellSchema>;

/** One line naming where a document is invalid and why. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : 'document';
  if (issue.code === 'unrecognized_keys')
    return `${where}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${where}: ${issue.message}`;
}
