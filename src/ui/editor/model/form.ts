import { errorMessage } from '../../../core/errors.ts';
import { buildLayerNetwork, type LayerConfig } from '../../../core/layer.ts';
import type { Network } from '../../../core/network.ts';
import { OPERATIONS, type OpName } from '../../../core/ops/index.ts';

/**
 * The hyper-parameter form works on the text the user typed, so a half-typed or invalid
 * value can stay in its field (with an error beside it) while the diagram keeps the last
 * layer that built.
 */
export type FieldName =
  | 'dims'
  | 'batch'
  | 'inChannels'
  | 'outChannels'
  | 'input'
  | 'kernel'
  | 'stride'
  | 'padding'
  | 'dilation'
  | 'groups'
  | 'outputPadding';

export type FormValues = Record<FieldName, string>;
export type FieldErrors = Partial<Record<FieldName, string>>;

export interface FieldSpec {
  name: FieldName;
  label: string;
  /** Tooltip: what the field takes. */
  help: string;
  perDimension: boolean;
}

export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'dims',
    label: 'N (spatial dims)',
    help: '1, 2 or 3 spatial dimensions',
    perDimension: false,
  },
  { name: 'batch', label: 'batch', help: 'batch size N', perDimension: false },
  { name: 'inChannels', label: 'in channels', help: 'C_in', perDimension: false },
  { name: 'outChannels', label: 'out channels', help: 'C_out', perDimension: false },
  {
    name: 'input',
    label: 'input size',
    help: 'one size, or one per dimension (e.g. 32, 32)',
    perDimension: true,
  },
  {
    name: 'kernel',
    label: 'kernel',
    help: 'kernel size, one or one per dimension',
    perDimension: true,
  },
  { name: 'stride', label: 'stride', help: 'one or one per dimension', perDimension: true },
  {
    name: 'padding',
    label: 'padding',
    help: "a number, one per dimension, 'same' or 'valid'",
    perDimension: true,
  },
  { name: 'dilation', label: 'dilation', help: 'one or one per dimension', perDimension: true },
  { name: 'groups', label: 'groups', help: 'G, must divide the channels', perDimension: false },
  {
    name: 'outputPadding',
    label: 'output padding',
    help: 'transpose convolutions only',
    perDimension: true,
  },
];

/** The fields an operation reads; the others are hidden for it. */
export function fieldsFor(op: OpName): FieldName[] {
  const hyper = OPERATIONS[op].hyperParameters;
  const inputs = OPERATIONS[op].inputs;
  const fields: FieldName[] = ['dims', 'batch', 'inChannels'];
  // Any tensor on the output side (weight, output gradient v, factor rows s) has C_out.
  if (inputs.some((name) => ['weight', 'v', 's'].includes(name))) fields.push('outChannels');
  fields.push('input', 'kernel', 'stride', 'padding');
  // Pooling has no dilation.
  if (hyper.includes('dilation')) fields.push('dilation');
  if (hyper.includes('groups')) fields.push('groups');
  if (hyper.includes('output_padding')) fields.push('outputPadding');
  return fields;
}

const list = (values: readonly number[]): string => values.join(', ');

export function layerToForm(layer: LayerConfig): FormValues {
  return {
    dims: String(layer.input.length),
    batch: String(layer.batch),
    inChannels: String(layer.inChannels),
    outChannels: String(layer.outChannels),
    input: list(layer.input),
    kernel: list(layer.kernel),
    stride: list(layer.stride),
    padding: typeof layer.padding === 'string' ? layer.padding : list(layer.padding),
    dilation: list(layer.dilation),
    groups: String(layer.groups),
    outputPadding: list(layer.outputPadding),
  };
}

function parseInteger(text: string, min: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `expected an integer ≥ ${min}, got '${text}'`;
  const v = Number(t);
  return v < min ? `expected an integer ≥ ${min}, got ${v}` : v;
}

/** "3", "3, 3", "3x3" or "3 3": one value, broadcast, or one per dimension. */
function parseList(text: string, dims: number, min: number): number[] | string {
  const parts = text
    .trim()
    .split(/[\s,x×]+/)
    .filter(Boolean);
  if (parts.length === 0) return 'expected a number';
  const values: number[] = [];
  for (const part of parts) {
    const v = parseInteger(part, min);
    if (typeof v === 'string') return v;
    values.push(v);
  }
  if (values.length === 1) return new Array<number>(dims).fill(values[0]);
  if (values.length !== dims)
    return `expected 1 or ${dims} values (one per dimension), got ${values.length}`;
  return values;
}

/**
 * The layer the form describes, or the syntax error of each field that does not parse.
 * Consistency between fields (kernel vs. input, groups vs. channels) is the library's to
 * check, in buildFromForm.
 */
export function parseForm(values: FormValues): { layer?: LayerConfig; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const int = (name: FieldName, min: number): number => {
    const v = parseInteger(values[name], min);
    if (typeof v === 'string') {
      errors[name] = v;
      return min;
    }
    return v;
  };
  const dims = int('dims', 1);
  if (!errors.dims && dims > 3) errors.dims = 'expected 1, 2 or 3';
  const d = Math.min(dims, 3);
  const perDim = (name: FieldName, min: number): number[] => {
    const v = parseList(values[name], d, min);
    if (typeof v === 'string') {
      errors[name] = v;
      return new Array<number>(d).fill(min);
    }
    return v;
  };
  const paddingText = values.padding.trim().toLowerCase();
  const padding =
    paddingText === 'same' || paddingText === 'valid'
      ? (paddingText as 'same' | 'valid')
      : perDim('padding', 0);
  const layer: LayerConfig = {
    batch: int('batch', 1),
    inChannels: int('inChannels', 1),
    outChannels: int('outChannels', 1),
    input: perDim('input', 1),
    kernel: perDim('kernel', 1),
    stride: perDim('stride', 1),
    padding,
    dilation: perDim('dilation', 1),
    groups: int('groups', 1),
    outputPadding: perDim('outputPadding', 0),
  };
  return Object.keys(errors).length > 0 ? { errors } : { layer, errors };
}

/** Changing N keeps each per-dimension field's first value for every dimension. */
export function withDims(values: FormValues, dims: number): FormValues {
  const next = { ...values, dims: String(dims) };
  for (const f of FIELDS) {
    if (!f.perDimension) continue;
    const text = values[f.name].trim();
    if (f.name === 'padding' && /^(same|valid)$/i.test(text)) continue;
    const first = text.split(/[\s,x×]+/).filter(Boolean)[0] ?? '';
    next[f.name] = new Array<string>(dims).fill(first).join(', ');
  }
  return next;
}

/** Fields a library error can be about, most likely first. */
const BLAME: [RegExp, FieldName[]][] = [
  [/kernel larger than padded input/, ['kernel', 'input', 'padding', 'dilation']],
  [/groups/, ['groups', 'inChannels', 'outChannels']],
  [/padding 'same'/, ['padding', 'stride']],
  [/output_padding/, ['outputPadding', 'stride', 'dilation']],
  [/output size/, ['padding', 'input', 'kernel', 'stride']],
  [/stride/, ['stride']],
  [/dilation/, ['dilation']],
  [/input size/, ['input']],
  [/kernel/, ['kernel']],
  [/padding/, ['padding']],
];

/** The field an error message belongs beside: the edited one if the message can be about it. */
export function blameField(
  message: string,
  edited: FieldName | undefined,
  visible: readonly FieldName[],
): FieldName {
  for (const [re, fields] of BLAME) {
    if (!re.test(message)) continue;
    const candidates = fields.filter((f) => visible.includes(f));
    if (edited && candidates.includes(edited)) return edited;
    if (candidates.length > 0) return candidates[0];
  }
  return edited ?? visible[0];
}

export type FormResult =
  { ok: true; layer: LayerConfig; network: Network } | { ok: false; errors: FieldErrors };

/** Parses the form and builds the operation's network; errors are placed beside fields. */
export function buildFromForm(op: OpName, values: FormValues, edited?: FieldName): FormResult {
  const parsed = parseForm(values);
  if (!parsed.layer) return { ok: false, errors: parsed.errors };
  // A hidden out-channels field must not make groups fail for ops that never read it.
  const layer = fieldsFor(op).includes('outChannels')
    ? parsed.layer
    : { ...parsed.layer, outChannels: parsed.layer.inChannels };
  try {
    return { ok: true, layer, network: buildLayerNetwork(op, layer) };
  } catch (err) {
    const message = errorMessage(err);
    return { ok: false, errors: { [blameField(message, edited, fieldsFor(op))]: message } };
  }
}
