export {
  formatDeclaredEinsum,
  formatEinsum,
  formatEquation,
  letterMap,
  type EinsumStyle,
} from './formatEinsum.ts';
export {
  declaredSizes,
  parseEinsum,
  parseEquation,
  EinsumParseError,
  type ParsedEinsum,
  type ParseOptions,
} from './parseEinsum.ts';
export {
  declarationOf,
  formatDeclarations,
  inputOfName,
  type Declaration,
} from './declarations.ts';
