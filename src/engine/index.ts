/**
 * The tfjs engine: evaluates a tensor network (src/core) along a contraction plan on the
 * active TensorFlow.js backend. Import this module from the browser or Node; the
 * environment-specific backend helpers live in './browser.ts' (Vite-served wasm binaries)
 * and './node.ts' (wasm binaries from node_modules, the CLI's cpu backend).
 *
 * Typical use:
 *   const choice = await selectBrowserBackend();            // webgpu → webgl → wasm → cpu
 *   const { result, path } = await evaluateNetwork(net, inputs);
 * or, to run one network many times:
 *   const { program } = compileNetwork(net, inputShapes(inputs), { memoryBudgetBytes });
 *   const exe = new Executable(program);  const y = exe.run(inputs);  …  exe.dispose();
 */
export { BACKEND_ORDER, describeBackend, selectBackend } from './backend.ts';
export type {
  BackendChoice,
  BackendFallback,
  BackendName,
  SelectOptions,
  WasmPaths,
} from './backend.ts';
export {
  compileNetwork,
  DEFAULT_MEMORY_BUDGET_BYTES,
  evaluateNetwork,
  evaluateToTensor,
  inputShapes,
} from './evaluate.ts';
export type { CompileOptions, Compiled, Evaluation } from './evaluate.ts';
export { Executable } from './execute.ts';
export type { EngineInput, EngineInputs } from './execute.ts';
export { lowerNetwork } from './lower.ts';
export type { LowerOptions } from './lower.ts';
export { checkProgramBudget, simulateMemory } from './programMemory.ts';
export type { MemoryReport } from './programMemory.ts';
export type { Instr, Program, StepLowering } from './program.ts';
// The measurement pipeline (benchmarks, the run panel's timings): src/engine/bench/.
export * as bench from './bench/index.ts';
