export {
  formatDeclaredEinsum,
  formatEinsum,
  formatEquation,
  letterMap,
  type EinsumStyle,
} from './format.ts';
export {
  declaredSizes,
  parseEinsum,
  parseEquation,
  EinsumParseError,
  type ParsedEinsum,
  type ParseOptions,
} from './parse.ts';
export {
  declarationOf,
  formatDeclarations,
  inputOfName,
  type Declaration,
} from './declarations.ts';
