export * from './schema.ts';
export { NOTEBOOK_LIMITS } from './notebookLimits.ts';
export {
  CURRENT_FORMAT,
  MIGRATIONS,
  readDocument,
  type DocumentFormat,
  type Migration,
  type ReadResult,
} from './format.ts';
export {
  addCell,
  applyEdit,
  deleteCell,
  dependentCells,
  diagramCell,
  emptyDocument,
  freshCellId,
  getCell,
  makeCell,
  moveCell,
  proseCell,
  replaceCell,
  runCell,
  setRunResult,
  setTitle,
  updateCell,
  withoutResults,
  type CellPatch,
  type NotebookEdit,
} from './document.ts';
export {
  canRedo,
  canUndo,
  createHistory,
  record,
  redo,
  undo,
  type Capture,
  type History,
} from '../history.ts';
export {
  exportNotebook,
  importNotebook,
  lineAndColumn,
  notebookFileName,
  parseJson,
  NOTEBOOK_FILE_SUFFIX,
  type ExportOptions,
} from './io.ts';
export {
  buildSource,
  type BuildOptions,
  inputNames,
  inputShapes,
  requireInputShapes,
  sourceOperation,
} from './build.ts';
export { applyStep, buildDiagram, MAX_TERMS, type DiagramBuild } from './derive.ts';
export { innerProductNetwork, squaredNormNetwork } from './squaredNorm.ts';
export { DEFAULT_APPLIERS, freshInputName, type StepAppliers } from './appliers.ts';
