/**
 * The measurement pipeline of einsketch: inputs, tfjs's built-ins keyed by the core's op
 * names, interleaved timing, peak extra memory, comparison and reports. Used by the
 * benchmark command lines (bench/), the app's run panel and its benchmark view.
 */
export { parseBenchArgs } from './args.ts';
export { builtinFor, runBuiltin, unfoldBySlicing } from './baselines.ts';
export type { Builtin, BuiltinChoice } from './baselines.ts';
export { maxAbs, maxAbsDiff, relativeError, relativeFrobeniusError } from './compare.ts';
export { webgpuErrorScope } from './deviceErrors.ts';
export { benchEinsum, EINSUM_CASES } from './einsumCases.ts';
export { bytesOf, randomValues, seededInputs, uploadInputs } from './inputs.ts';
export { smoothValues } from './smooth.ts';
export { parseLayersFile, parseLayersText, selectLayers } from './layersFile.ts';
export type { LayersFile } from './layersFile.ts';
export { BENCH_OPS, BENCH_OP_NAMES, benchOpOf, parseBenchOps } from './ops.ts';
export type { BenchOp } from './ops.ts';
export { profiledRun } from './peakMemory.ts';
export { profileSteps } from './stepProfile.ts';
export type { StepTime } from './stepProfile.ts';
export type { ProfiledRun } from './peakMemory.ts';
export { formatCaseLine, formatReport, formatSummary, summarize } from './report.ts';
export type { BenchReport, CaseResult, EinsumResult, OpSummary } from './report.ts';
export { builtinSide, measureSides, networkSide } from './sides.ts';
export type { Measurement, Side, SideOutcome } from './sides.ts';
export { benchCase, runBenchmarks } from './suite.ts';
export type { BenchConfig } from './suite.ts';
export { median, runOrder, timeInterleaved, timeOnce } from './timing.ts';
export type { DeviceErrorScope, RoundsConfig, SideTiming, TimedSide } from './timing.ts';
