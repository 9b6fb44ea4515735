export {
  exportJax,
  exportPyTorch,
  generatePython,
  torchBuiltin,
  type InputSpec,
  type PythonOptions,
} from './python.ts';
export {
  commentText,
  prepareTerm,
  subjectInputShapes,
  subjectInputs,
  subjectOfDiagram,
  subjectOfNetwork,
  type ExportSubject,
  type PreparedTerm,
} from './subject.ts';
export { exportTfjs, type TfjsOptions } from './tfjs.ts';
export { exportEinsum, exportLatex, indexTex, numberTex, type LatexOptions } from './latex.ts';
