export { formatEinsum, formatEquation, letterMap, type EinsumStyle } from './format.ts';
export { parseEinsum, parseEquation, EinsumParseError, type ParsedEinsum, type ParseOptions } from './parse.ts';
