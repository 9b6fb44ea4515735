import { benchLayerConfig, layerOutputSize, type BenchLayer } from '../../core/layer.ts';

/**
 * Benchmark layer files in the format of test/fixtures/layers.json:
 * `{batch, layers: [{name, in_channels, out_channels, input, kernel, stride, padding,
 * dilation, groups, kind}]}` with per-dimension lists. Checked field by field so a bad
 * file gets one line naming the layer and the field.
 */

export interface LayersFile {
  batch: number;
  layers: BenchLayer[];
}

const isCount = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

function fail(source: string, where: string, message: string): never {
  throw new Error(`${source}: ${where}${message}`);
}

export function parseLayersFile(json: unknown, source = 'layers file'): LayersFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(source, '', 'expected an object {batch, layers: [...]}');
  const { batch, layers } = json as Record<string, unknown>;
  if (!isCount(batch, 1))
    fail(source, '', `batch must be a positive integer, got ${JSON.stringify(batch)}`);
  if (!Array.isArray(layers) || !layers.length) fail(source, '', 'layers must be a non-empty list');
  const names = new Set<string>();
  const parsed = layers.map((raw, j): BenchLayer => {
    let where = `layer ${j + 1}: `;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      fail(source, where, 'expected an object');
    const l = raw as Record<string, unknown>;
    if (typeof l.name !== 'string' || !l.name)
      fail(source, where, 'name must be a non-empty string');
    where = `layer ${j + 1} ('${l.name}'): `;
    if (names.has(l.name)) fail(source, where, 'the name is used twice');
    names.add(l.name);
    for (const field of ['in_channels', 'out_channels', 'groups'])
      if (!isCount(l[field], 1))
        fail(source, where, `${field} must be a positive integer, got ${JSON.stringify(l[field])}`);
    const input = l.input;
    if (
      !Array.isArray(input) ||
      input.length < 1 ||
      input.length > 3 ||
      !input.every((v) => isCount(v, 1))
    )
      fail(
        source,
        where,
        `input must be a list of 1 to 3 positive integers, got ${JSON.stringify(input)}`,
      );
    const dims = input.length;
    for (const [field, min] of [
      ['kernel', 1],
      ['stride', 1],
      ['dilation', 1],
      ['padding', 0],
    ] as const) {
      const v = l[field];
      if (!Array.isArray(v) || v.length !== dims || !v.every((x) => isCount(x, min)))
        fail(
          source,
          where,
          `${field} must be a list of ${dims} ${min ? 'positive' : 'non-negative'} integers (one per dimension of input), got ${JSON.stringify(v)}`,
        );
    }
    const groups = l.groups as number;
    if ((l.in_channels as number) % groups || (l.out_channels as number) % groups)
      fail(
        source,
        where,
        `groups ${groups} must divide in_channels ${l.in_channels} and out_channels ${l.out_channels}`,
      );
    if (l.kind !== undefined && typeof l.kind !== 'string')
      fail(source, where, 'kind must be a string');
    const layer: BenchLayer = {
      name: l.name,
      in_channels: l.in_channels as number,
      out_channels: l.out_channels as number,
      input: input as number[],
      kernel: l.kernel as number[],
      stride: l.stride as number[],
      padding: l.padding as number[],
      dilation: l.dilation as number[],
      groups,
      kind: (l.kind as string | undefined) ?? 'general',
    };
    try {
      layerOutputSize(benchLayerConfig(layer, 1));
    } catch (err) {
      fail(source, where, err instanceof Error ? err.message : String(err));
    }
    return layer;
  });
  return { batch, layers: parsed };
}

/** Parses the text of a layers file (JSON), with a one-line error for malformed JSON. */
export function parseLayersText(text: string, source = 'layers file'): LayersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${source}: malformed JSON (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
  return parseLayersFile(json, source);
}

/** Layers whose name contains one of the filters (all when there are none). */
export function selectLayers(file: LayersFile, filters: readonly string[] = []): BenchLayer[] {
  if (!filters.length) return file.layers;
  const kept = file.layers.filter((l) => filters.some((f) => l.name.includes(f)));
  if (!kept.length)
    throw new Error(
      `no layer matches ${filters.map((f) => `'${f}'`).join(', ')} (layers: ${file.layers.map((l) => l.name).join(', ')})`,
    );
  return kept;
}
