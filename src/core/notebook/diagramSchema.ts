import { z } from 'zod';
import { checkNetwork, product, type Network } from '../network.ts';
import { checkNetworkLimits } from '../limits.ts';
import { errorMessage } from '../errors.ts';
import { OP_NAMES, type OpName } from '../ops/index.ts';
import type { LayerConfig } from '../layer.ts';
import { NOTEBOOK_LIMITS as L } from './notebookLimits.ts';
import {
  posInt,
  nonNegInt,
  finite,
  line,
  inputNameSchema,
  legNameSchema,
  tensorIdSchema,
  dimList,
} from './schemaPrimitives.ts';

// The schema of what a diagram cell holds: its source, its steps and its view.

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
