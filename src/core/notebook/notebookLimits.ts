import { LIMITS } from '../limits.ts';

/**
 * Limits on a notebook document. Documents arrive from strangers (share links, uploaded
 * files, tutorials), so every count and size is bounded by the schema and checked before
 * any network is built or any tensor allocated.
 */
export const NOTEBOOK_LIMITS = {
  /** Cells in one notebook. */
  maxCells: 200,
  /** Characters of the notebook title or of a diagram title. */
  maxTitleLength: 200,
  /** Characters of one prose cell. */
  maxProseLength: 20_000,
  /** Derivation / simplification steps recorded on one diagram. */
  maxSteps: 64,
  /** Spatial dimensions of a layer. */
  maxSpatialDims: 6,
  /** Tensors of an einsum or drawn network (shared with the engine's limits). */
  maxTensors: LIMITS.maxTensors,
  /** Legs of one tensor. */
  maxLegs: LIMITS.maxLegs,
  /** Size of one index. */
  maxIndexSize: LIMITS.maxIndexSize,
  /** Entries of one input tensor. */
  maxElements: LIMITS.maxElements,
  /** Characters of an einsum equation. */
  maxEquationLength: LIMITS.maxEquationLength,
  /** Timed repetitions of one run. */
  maxRepeats: 100,
  /** Untimed warm-up runs. */
  maxWarmup: 20,
  /** Seeded draws a run cell averages (each re-draws its inputs and dropout masks). */
  maxDraws: 16,
  /** Result values a run cell keeps as a preview. */
  maxPreview: 64,
  /** Lines of a chart cell, and points (run cells) on one line. */
  maxChartSeries: 8,
  maxChartPoints: 32,
  /** Saved diagram positions (one per tensor). */
  maxPositions: LIMITS.maxTensors,
  /** Characters of a notebook file (JSON) accepted by the importer. */
  maxFileLength: 4_000_000,
} as const;
