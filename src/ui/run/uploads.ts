import { fail } from '../../core/errors.ts';
import { checkShapeLimits, LIMITS } from '../../core/limits.ts';
import { product } from '../../core/network.ts';
import type { UploadedTensor } from './runMessages.ts';

/**
 * Inputs the user uploads: NumPy .npy files (one tensor each, named after the file) or a
 * JSON object {name: {shape, data}} with data flat and row-major, as the CLI takes them.
 * Files come from strangers, so parsing is strict (one-line EinsketchErrors naming the
 * problem) and sizes are checked against the limits before anything is allocated.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DTYPES = { '<f4': 4, '<f8': 8, '<i4': 4 } as const;
type Descr = keyof typeof DTYPES;

/** numpy writes headers of a few hundred bytes; anything far longer is not an array's. */
const MAX_HEADER_BYTES = 65536;

/** Largest upload read at all: the element limit in float64, plus room for a header. */
export const MAX_UPLOAD_BYTES = LIMITS.maxElements * 8 + 65536;

/** Values of the Python literal in an .npy header: strings, ints, booleans, tuples, a dict. */
type PyValue = string | number | boolean | PyValue[] | { [key: string]: PyValue };

/** A strict reader of the dict literal numpy writes (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`). */
function parsePyLiteral(text: string): PyValue {
  let at = 0;
  const ws = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const expect = (c: string) => {
    ws();
    if (text[at] !== c)
      fail(`.npy header: expected '${c}' at character ${at} of ${JSON.stringify(text.trim())}`);
    at++;
  };
  // numpy's header nests two levels (the dict, the shape tuple); a hostile one may nest
  // thousands, which must end in an error rather than a stack overflow.
  const value = (depth = 0): PyValue => {
    if (depth > 8) fail('.npy header: nested too deeply');
    ws();
    const c = text[at];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, at + 1);
      if (end < 0) fail('.npy header: unterminated string');
      const s = text.slice(at + 1, end);
      at = end + 1;
      return s;
    }
    if (c === '{' || c === '(') {
      const close = c === '{' ? '}' : ')';
      at++;
      const items: PyValue[] = [];
      const dict: Record<string, PyValue> = {};
      for (;;) {
        ws();
        if (text[at] === close) {
          at++;
          break;
        }
        const v = value(depth + 1);
        if (c === '{') {
          if (typeof v !== 'string') fail('.npy header: dictionary keys must be strings');
          expect(':');
          dict[v] = value(depth + 1);
        } else {
          items.push(v);
        }
        ws();
        if (text[at] === ',') at++;
        else if (text[at] !== close)
          fail(`.npy header: expected ',' or '${close}' at character ${at}`);
      }
      return c === '{' ? dict : items;
    }
    const word = /^(True|False|\d+)L?/.exec(text.slice(at));
    if (!word) fail(`.npy header: unexpected ${JSON.stringify(text.slice(at, at + 10))}`);
    at += word[0].length;
    return word[1] === 'True' ? true : word[1] === 'False' ? false : Number(word[1]);
  };
  const v = value();
  ws();
  if (at !== text.length) fail('.npy header: text after the dictionary');
  return v;
}

/** Parses one .npy file (format versions 1, 2 and 3; '<f4', '<f8', '<i4'; C order). */
export function parseNpy(buffer: ArrayBuffer, what = 'the .npy file'): UploadedTensor {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 10 || MAGIC.some((b, j) => bytes[j] !== b))
    fail(`${what} is not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  if (major < 1 || major > 3)
    fail(`${what}: .npy format version ${major}.${bytes[7]} is not supported (1, 2 and 3 are)`);
  const view = new DataView(buffer);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(`${what} is truncated in its header`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES)
    fail(`${what}: a header of ${headerLen} bytes is not a tensor's header`);
  const start = 8 + lenBytes;
  const dataStart = start + headerLen;
  if (dataStart > bytes.length) fail(`${what} is truncated: its header says ${headerLen} bytes`);
  const headerBytes = bytes.subarray(start, dataStart);
  // Versions 1 and 2 are latin-1 (ASCII in practice), version 3 is UTF-8.
  const header =
    major === 3
      ? new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)
      : String.fromCharCode(...headerBytes);
  const dict = parsePyLiteral(header);
  if (typeof dict !== 'object' || Array.isArray(dict))
    fail(`${what}: the header is not a dictionary`);
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape')
    fail(`${what}: the header has keys ${keys}; expected descr, fortran_order, shape`);
  const {
    descr,
    fortran_order: fortran,
    shape,
  } = dict as { descr: PyValue; fortran_order: PyValue; shape: PyValue };
  if (typeof descr !== 'string' || !(descr in DTYPES)) {
    fail(
      `${what}: dtype ${JSON.stringify(descr)} is not supported (use little-endian float32 '<f4', float64 '<f8' or int32 '<i4')`,
    );
  }
  if (fortran !== false)
    fail(`${what} is in Fortran order; save it in C order (np.ascontiguousarray)`);
  if (!Array.isArray(shape) || shape.some((s) => typeof s !== 'number'))
    fail(`${what}: the shape is not a tuple of integers`);
  const dims = shape as number[];
  checkShapeLimits(dims, what);
  const itemSize = DTYPES[descr as Descr];
  const count = product(dims);
  const want = count * itemSize;
  const have = bytes.length - dataStart;
  if (have !== want) {
    fail(`${what} has ${have} data bytes; shape (${dims.join(', ')}) of ${descr} needs ${want}`);
  }
  // Copied out so the typed array is aligned whatever the header length.
  const data = buffer.slice(dataStart, dataStart + want);
  const array =
    descr === '<f4'
      ? new Float32Array(data)
      : descr === '<f8'
        ? new Float64Array(data)
        : new Int32Array(data);
  return { shape: dims, data: array };
}

/** Parses {name: {shape, data}} (data flat, row-major). */
export function parseJsonInputs(
  text: string,
  what = 'the JSON file',
): Record<string, UploadedTensor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    fail(`${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(`${what} must be an object {name: {shape, data}}`);
  }
  const out: Record<string, UploadedTensor> = {};
  for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const e = entry as { shape?: unknown; data?: unknown };
    if (
      typeof entry !== 'object' ||
      entry === null ||
      !Array.isArray(e.shape) ||
      !Array.isArray(e.data)
    ) {
      fail(`${what}: '${name}' must be {shape: [...], data: [...]}`);
    }
    const shape = e.shape as unknown[];
    if (shape.some((s) => !Number.isInteger(s) || (s as number) < 0))
      fail(`${what}: the shape of '${name}' must be non-negative integers`);
    checkShapeLimits(shape as number[], `${what}: '${name}'`);
    const data = e.data as unknown[];
    const size = product(shape as number[]);
    if (data.length !== size)
      fail(
        `${what}: '${name}' has ${data.length} values; shape [${shape.join(', ')}] needs ${size} (data is flat, row-major)`,
      );
    const values = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      const v = data[j];
      if (typeof v !== 'number') fail(`${what}: '${name}' has a non-number at position ${j}`);
      values[j] = v;
    }
    out[name] = { shape: shape as number[], data: values };
  }
  if (Object.keys(out).length === 0) fail(`${what} names no tensor`);
  return out;
}

/** Reads uploaded files: name.npy → tensor 'name', *.json → its tensors. */
export async function readUploads(files: readonly File[]): Promise<Record<string, UploadedTensor>> {
  const out: Record<string, UploadedTensor> = {};
  const add = (name: string, t: UploadedTensor, file: string) => {
    if (out[name]) fail(`input '${name}' is given twice (again in ${file})`);
    out[name] = t;
  };
  for (const file of files) {
    if (file.size > MAX_UPLOAD_BYTES)
      fail(`${file.name} is ${file.size} bytes; uploads are limited to ${MAX_UPLOAD_BYTES}`);
    if (/\.npy$/i.test(file.name)) {
      const name = file.name.replace(/\.npy$/i, '');
      add(name, parseNpy(await file.arrayBuffer(), file.name), file.name);
    } else if (/\.json$/i.test(file.name)) {
      for (const [name, t] of Object.entries(parseJsonInputs(await file.text(), file.name)))
        add(name, t, file.name);
    } else {
      fail(`${file.name}: upload .npy files (named after the input, e.g. x.npy) or a .json file`);
    }
  }
  return out;
}
