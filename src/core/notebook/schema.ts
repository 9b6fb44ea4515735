import { z } from 'zod';
import { checkNetwork, product, type Network } from '../network.ts';
import { checkNetworkLimits } from '../limits.ts';
import { errorMessage } from '../errors.ts';
import { OP_NAMES, type OpName } from '../ops/index.ts';
import type { LayerConfig } from '../layer.ts';
import { NOTEBOOK_LIMITS as L } from './notebookLimits.ts';

/**
 * The notebook document (format version 1): `{version, title, cells}` with prose, diagram
 * and run cells. This zod schema is the single definition of what a valid document is;
 * files, share links and tutorials are all read through it, so every string, list and
 * number is bounded (see limits.ts) and every object is strict (unknown keys are refused).
 */

export const DOCUMENT_VERSION = 1;

const posInt = (max: number) => z.number().int().min(1).max(max);
const nonNegInt = (max: number) => z.number().int().min(0).max(max);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** No control characters (newlines included) in names, labels and titles. */
const line = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be one line without control characters');

export const cellIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, _ and -');

/** An input of an operation or einsum (x, weight, v, T1, …): a plain identifier. */
export const inputNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers (letters, digits, _)');

/** An index name as the einsum parser reads it (letters, digits, _, primes). */
export const legNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[\p{L}_](?:[\p{L}\p{N}_'′]|\u0303)*$/u,
    'index names start with a letter or _ and hold letters, digits, _ or primes',
  );

export const tensorIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_.'′-]+$/u, 'tensor ids use letters, digits, _ . - and primes');

const dimList = (max: number, min = 1) =>
  z.array(z.number().int().min(min).max(max)).min(1).max(L.maxSpatialDims);

// ---------------------------------------------------------------------------------------
// Diagram sources

export const layerSchema = z
  .object({
    batch: posInt(L.maxIndexSize),
    inChannels: posInt(L.maxIndexSize),
    outChannels: posInt(L.maxIndexSize),
    input: dimList(L.maxIndexSize),
    kernel: dimList(L.maxIndexSize),
    stride: dimList(L.maxIndexSize),
    padding: z.union([dimList(L.maxIndexSize, 0), z.literal('same'), z.literal('valid')]),
    dilation: dimList(L.maxIndexSize),
    groups: posInt(L.maxIndexSize),
    outputPadding: dimList(L.maxIndexSize, 0),
  })
  .strict()
  .superRefine((layer, ctx) => {
    const dims = layer.input.length;
    for (const key of ['kernel', 'stride', 'dilation', 'outputPadding', 'padding'] as const) {
      const value = layer[key];
      if (Array.isArray(value) && value.length !== dims) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `has ${value.length} entries but the input is ${dims}-d`,
        });
      }
    }
    if (layer.inChannels % layer.groups !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: `${layer.groups} does not divide inChannels ${layer.inChannels}`,
      });
    }
    if (layer.outChannels % layer.groups !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: `${layer.groups} does not divide outChannels ${layer.outChannels}`,
      });
    }
    // Sizes of the inputs, checked before anything is built or allocated.
    const x = layer.batch * layer.inChannels * product(layer.input);
    // conv weight [C_out, C_in/G, *K] and transpose weight [C_in, C_out/G, *K] alike.
    const w = (layer.outChannels * layer.inChannels * product(layer.kernel)) / layer.groups;
    if (x > L.maxElements) {
      ctx.addIssue({
        code: 'custom',
        path: ['input'],
        message: `the input has ${x} entries; the limit is ${L.maxElements}`,
      });
    }
    if (w > L.maxElements) {
      ctx.addIssue({
        code: 'custom',
        path: ['kernel'],
        message: `the weight has ${w} entries; the limit is ${L.maxElements}`,
      });
    }
  });

// Keeps the schema and the core's LayerConfig in step: a compile error if they drift.
const layerMatchesCore: LayerConfig = {} as z.infer<typeof layerSchema>;
void layerMatchesCore;

export const opNameSchema = z.enum(OP_NAMES as [OpName, ...OpName[]]);

/** A preset: one of the library's operations applied to a convolution layer. */
export const presetSourceSchema = z
  .object({
    kind: z.literal('preset'),
    op: opNameSchema,
    layer: layerSchema,
    /** Name of a well-known layer this is (e.g. "resnet18.conv1"), shown in the UI. */
    name: line(80).optional(),
    /** The editor palette entry it came from (e.g. "dense_patchify"), if any. */
    presetId: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'preset ids use letters, digits, _ and -')
      .optional(),
  })
  .strict();

function shapeIssue(shape: readonly number[]): string | null {
  const n = product(shape);
  return n > L.maxElements
    ? `has ${n} entries [${shape.join(', ')}]; the limit is ${L.maxElements}`
    : null;
}

/**
 * An einsum with one shape per operand; operands are dense data tensors unless the
 * equation declares them after ';' (index patterns, deltas, constants).
 */
export const einsumSourceSchema = z
  .object({
    kind: z.literal('einsum'),
    equation: z.string().min(1).max(L.maxEquationLength),
    shapes: z
      .array(z.array(posInt(L.maxIndexSize)).max(L.maxLegs))
      .min(1)
      .max(L.maxTensors),
    /** Input name of each operand; defaults to T1, T2, … */
    names: z.array(inputNameSchema).max(L.maxTensors).optional(),
  })
  .strict()
  .superRefine((src, ctx) => {
    src.shapes.forEach((shape, j) => {
      const problem = shapeIssue(shape);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['shapes', j],
          message: `operand ${j + 1} ${problem}`,
        });
    });
    if (src.names) {
      if (src.names.length !== src.shapes.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['names'],
          message: `gives ${src.names.length} names for ${src.shapes.length} operands`,
        });
      }
      if (new Set(src.names).size !== src.names.length) {
        ctx.addIssue({ code: 'custom', path: ['names'], message: 'names repeat' });
      }
    }
  });

const transformSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('reshape'), shape: z.array(posInt(L.maxIndexSize)).max(L.maxLegs) })
    .strict(),
  z
    .object({
      kind: z.literal('slice'),
      axis: nonNegInt(L.maxLegs),
      start: nonNegInt(L.maxIndexSize),
      size: nonNegInt(L.maxIndexSize),
      step: posInt(L.maxIndexSize).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('select'),
      axis: nonNegInt(L.maxLegs),
      indices: z.array(nonNegInt(L.maxIndexSize)).max(65_536),
    })
    .strict(),
]);

const patternParamsSchema = z
  .object({
    inputSize: posInt(L.maxIndexSize),
    kernelSize: posInt(L.maxIndexSize),
    stride: posInt(L.maxIndexSize),
    dilation: posInt(L.maxIndexSize),
    padLeft: nonNegInt(L.maxIndexSize),
    padRight: nonNegInt(L.maxIndexSize),
    outputSize: posInt(L.maxIndexSize),
  })
  .strict();

const roleSchema = z.enum(['k', 'o', 'i']);
const tensorBase = {
  id: tensorIdSchema,
  label: line(32, 1),
  legs: z.array(legNameSchema).max(L.maxLegs),
};

const tensorSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...tensorBase,
      kind: z.literal('data'),
      source: inputNameSchema,
      transforms: z.array(transformSchema).max(16),
      sourceShape: z.array(posInt(L.maxIndexSize)).max(L.maxLegs).optional(),
    })
    .strict(),
  z
    .object({
      ...tensorBase,
      kind: z.literal('index_pattern'),
      pattern: patternParamsSchema,
      roles: z.array(roleSchema).max(3),
      keep: z
        .object({
          k: z.array(nonNegInt(L.maxIndexSize)).max(65_536).optional(),
          o: z.array(nonNegInt(L.maxIndexSize)).max(65_536).optional(),
          i: z.array(nonNegInt(L.maxIndexSize)).max(65_536).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ ...tensorBase, kind: z.literal('delta') }).strict(),
  z.object({ ...tensorBase, kind: z.literal('scalar'), value: finite }).strict(),
]);

export const networkSchema = z
  .object({
    sizes: z.record(legNameSchema, posInt(L.maxIndexSize)),
    tensors: z.array(tensorSchema).min(1).max(L.maxTensors),
    output: z.array(legNameSchema).max(L.maxLegs),
    resultShape: z.array(posInt(L.maxIndexSize)).max(L.maxLegs),
  })
  .strict()
  .superRefine((net, ctx) => {
    if (Object.keys(net.sizes).length > L.maxTensors * L.maxLegs) {
      ctx.addIssue({
        code: 'custom',
        path: ['sizes'],
        message: 'names more indices than the network can have',
      });
      return;
    }
    try {
      checkNetwork(net as Network);
      checkNetworkLimits(net as Network);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: errorMessage(err) });
    }
  });

/** A network drawn or edited in the editor, stored as it is. */
export const networkSourceSchema = z
  .object({ kind: z.literal('network'), network: networkSchema })
  .strict();

export const diagramSourceSchema = z.discriminatedUnion('kind', [
  presetSourceSchema,
  einsumSourceSchema,
  networkSourceSchema,
]);

// ---------------------------------------------------------------------------------------
// Derivation and simplification steps

/**
 * Names of the rewrite rules (src/core/rewrite RuleName). Kept as a list here so that a
 * document names only rules the app knows.
 */
export const RULE_NAMES_V1 = [
  'dense_pattern',
  'downsampling_pattern',
  'delta_removal',
  'sum_leg',
  'merge_legs',
  'squeeze',
] as const;

/**
 * What was done to a diagram's source network, in order. The network shown is the source
 * with these applied (see derive.ts); they map onto src/core/diff (derivative, vjp, jvp),
 * src/core/rewrite (simplify) and src/core/dropout (dropout).
 */
const termSchema = nonNegInt(1024).optional();

export const stepSchema = z.discriminatedUnion('kind', [
  /**
   * ∂/∂(input): T cut out; `occurrence` picks one tensor (by id), else every occurrence
   * (product rule, a sum). `term` continues with one term of the sum only (as the editor
   * does when the user picks a term); without it the diagram is the whole sum.
   */
  z
    .object({
      kind: z.literal('derivative'),
      source: inputNameSchema,
      occurrence: tensorIdSchema.optional(),
      term: termSchema,
    })
    .strict(),
  /** Vector-Jacobian product with a new input shaped like the result (default: 'v', or v2, v3, … if taken). */
  z
    .object({
      kind: z.literal('vjp'),
      source: inputNameSchema,
      vector: inputNameSchema.optional(),
      term: termSchema,
    })
    .strict(),
  /** Jacobian-vector product: a tangent (default name as for the VJP) replaces the input. */
  z
    .object({
      kind: z.literal('jvp'),
      source: inputNameSchema,
      tangent: inputNameSchema.optional(),
      term: termSchema,
    })
    .strict(),
  /** Simplification rules to the fixed point, or only the first `steps` of them. */
  z
    .object({
      kind: z.literal('simplify'),
      steps: nonNegInt(10_000).optional(),
      disabled: z.array(z.enum(RULE_NAMES_V1)).max(RULE_NAMES_V1.length).optional(),
    })
    .strict(),
  /** Tensor dropout: keep a seeded random fraction of a summed index and rescale. */
  z
    .object({
      kind: z.literal('dropout'),
      index: legNameSchema,
      keep: z.number().gt(0).max(1),
      seed: nonNegInt(2 ** 31 - 1),
    })
    .strict(),
  /**
   * Squared Frobenius norm over every open leg except `keep`: the network contracted with
   * a copy of itself (e.g. per-example gradient norms, keep ['n'], without forming the
   * per-example gradients).
   */
  z
    .object({ kind: z.literal('squared_norm'), keep: z.array(legNameSchema).max(L.maxLegs) })
    .strict(),
]);

export const viewSchema = z
  .object({
    /** Einsum style shown next to the diagram. */
    style: z.enum(['named', 'letters']).default('named'),
    /** Tensor positions: automatic layout, or the ones the user dragged (by tensor id). */
    layout: z.enum(['auto', 'manual']).default('auto'),
    /** Positions by diagram node id (tensors, hubs, open legs). */
    positions: z
      .record(line(64, 1), z.object({ x: finite, y: finite }).strict())
      .refine((p) => Object.keys(p).length <= L.maxPositions, `at most ${L.maxPositions} positions`)
      .optional(),
    showSizes: z.boolean().default(true),
    showFormula: z.boolean().default(true),
    showSteps: z.boolean().default(true),
  })
  .strict();

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
