import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../../src/engine/bench/args.ts';
import {
  parseLayersFile,
  parseLayersText,
  selectLayers,
} from '../../../src/engine/bench/layersFile.ts';
import { formatCaseLine, summarize, type CaseResult } from '../../../src/engine/bench/report.ts';
import { measureSides, type Side } from '../../../src/engine/bench/sides.ts';
import { median, runOrder, timeInterleaved } from '../../../src/engine/bench/timing.ts';
import { selectNodeBackend } from '../../../src/engine/node.ts';

beforeAll(async () => {
  await selectNodeBackend(['cpu']);
});

/** A side whose runs are logged by name; `busyMs` makes each run take at least that long. */
function logged(name: string, log: string[], busyMs = 0) {
  return {
    name,
    run: () => {
      log.push(name);
      const end = performance.now() + busyMs;
      while (performance.now() < end);
      return tf.scalar(1);
    },
  };
}

describe('interleaved timing', () => {
  it('warms every side up first, then runs rounds A, B, A, B, …', async () => {
    expect(runOrder(2, 1, 2)).toEqual([
      [0, 'warmup'],
      [1, 'warmup'],
      [0, 'timed'],
      [1, 'timed'],
      [0, 'timed'],
      [1, 'timed'],
    ]);
    const log: string[] = [];
    const progress: [number, number, number][] = [];
    const timings = await timeInterleaved(
      [logged('tn', log), logged('builtin', log), logged('unsimplified', log)],
      { runs: 3, warmup: 2, maxRunMs: Infinity, onRun: (d, t, s) => void progress.push([d, t, s]) },
    );
    const round = ['tn', 'builtin', 'unsimplified'];
    expect(log).toEqual([...round, ...round, ...round, ...round, ...round]);
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: 15 }, (_, j) => j + 1));
    expect(progress.every(([, t]) => t === 15)).toBe(true);
    expect(progress.slice(0, 3).map(([, , s]) => s)).toEqual([0, 1, 2]);
    for (const t of timings) {
      expect('runsMs' in t && t.runsMs).toHaveLength(3);
      if ('runsMs' in t) expect(t.medianMs).toBe(median(t.runsMs));
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  it('does not time a side whose warm-up run is over the limit, and says so', async () => {
    const log: string[] = [];
    const [slow, fast] = await timeInterleaved([logged('slow', log, 15), logged('fast', log)], {
      runs: 2,
      warmup: 1,
      maxRunMs: 10,
    });
    expect(log).toEqual(['slow', 'fast', 'fast', 'fast']);
    expect('skipped' in slow && slow.skipped).toMatch(
      /^slow: one run took 0\.0 s, over the 0 s limit/,
    );
    expect('runsMs' in fast && fast.runsMs).toHaveLength(2);
  });

  it('reports a device error as the failure of the side that caused it', async () => {
    let calls = 0;
    const scope = {
      begin: () => {},
      end: async () => (++calls === 2 ? 'validation error: bad binding\nmore' : undefined),
    };
    const log: string[] = [];
    await expect(
      timeInterleaved([logged('engine', log), logged('tf.conv2d', log)], {
        runs: 1,
        warmup: 1,
        maxRunMs: Infinity,
        deviceErrors: scope,
      }),
    ).rejects.toThrow(/^tf\.conv2d: device error: validation error: bad binding$/);
  });

  it('takes the median: middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('measureSides', () => {
  it('returns each side’s values and its peak memory beyond inputs and result', async () => {
    const x = tf.ones([1000]);
    // Materialises a 4000-byte intermediate to produce a 4-byte result.
    const wasteful: Side = {
      name: 'wasteful',
      start: () => ({
        name: 'wasteful',
        run: () => tf.tidy(() => tf.sum(tf.mul(x, tf.scalar(2)))),
        dispose: () => {},
      }),
    };
    // Keeps a 400-byte table between runs: counted as its own.
    let table: tf.Tensor | undefined;
    const keeper: Side = {
      name: 'keeper',
      start: () => {
        table = tf.ones([100]);
        return { name: 'keeper', run: () => tf.sum(x), dispose: () => table!.dispose() };
      },
    };
    const [a, b] = await measureSides([wasteful, keeper], {
      runs: 2,
      warmup: 1,
      maxRunMs: Infinity,
    });
    expect(Array.from(a.data!)).toEqual([2000]);
    expect(Array.from(b.data!)).toEqual([1000]);
    expect(a.shape).toEqual([]);
    // The scalar 2 (4 bytes) and x·2 (4000 bytes) live at once; the result is not extra.
    expect(a.measurement!.extraBytes).toBe(4004);
    expect(b.measurement!.extraBytes).toBe(400);
    expect(a.measurement!.runsMs).toHaveLength(2);
    expect(table!.isDisposed).toBe(true);
    x.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('layers files', () => {
  const suite = JSON.parse(
    readFileSync(new URL('../../fixtures/layers.json', import.meta.url), 'utf8'),
  ) as { layers: Record<string, unknown>[] };
  const layer = suite.layers[1];
  const file = (layers: unknown[], batch: unknown = 8) => ({ batch, layers });

  it('reads the suite and the out-of-suite file under bench/', () => {
    expect(parseLayersFile(suite, 'suite').layers).toHaveLength(suite.layers.length);
    const outside = parseLayersText(
      readFileSync(new URL('../../../bench/layers-outside-suite.json', import.meta.url), 'utf8'),
      'outside',
    );
    const names = new Set(suite.layers.map((l) => l.name));
    expect(outside.layers.length).toBeGreaterThan(0);
    for (const l of outside.layers) expect(names.has(l.name)).toBe(false);
  });

  it.each([
    [file([layer], 0), /^f: batch must be a positive integer, got 0$/],
    [file([]), /^f: layers must be a non-empty list$/],
    [[], /^f: expected an object/],
    [
      file([{ ...layer, kernel: [3] }]),
      /^f: layer 1 \('resnet18\.layer1\.0\.conv1'\): kernel must be a list of 2 positive integers/,
    ],
    [file([{ ...layer, padding: [-1, 1] }]), /padding must be a list of 2 non-negative integers/],
    [file([{ ...layer, groups: 3 }]), /groups 3 must divide in_channels 64 and out_channels 64/],
    [file([layer, layer]), /^f: layer 2 \('resnet18\.layer1\.0\.conv1'\): the name is used twice$/],
    [file([{ ...layer, name: '' }]), /^f: layer 1: name must be a non-empty string$/],
    [
      file([{ ...layer, input: [2, 2], padding: [0, 0] }]),
      /^f: layer 1 \('resnet18\.layer1\.0\.conv1'\): /,
    ],
  ])('refuses a bad file with one line: %#', (json, message) => {
    let error: Error | undefined;
    try {
      parseLayersFile(json, 'f');
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('says where malformed JSON is, and when no layer matches a filter', () => {
    expect(() => parseLayersText('{"batch": 1,', 'my.json')).toThrow(/^my\.json: malformed JSON/);
    const parsed = parseLayersFile(suite);
    expect(selectLayers(parsed, ['layer1.0']).map((l) => l.name)).toEqual([
      'resnet18.layer1.0.conv1',
      'resnet50.layer1.0.conv1',
    ]);
    expect(() => selectLayers(parsed, ['nothing'])).toThrow(/^no layer matches 'nothing'/);
  });
});

describe('reports and options', () => {
  const c: CaseResult = {
    layer: 'resnet18.layer1.0.conv1',
    kind: 'general',
    op: 'forward',
    batch: 1,
    inputBytes: 0,
    resultBytes: 0,
    tn: {
      name: 'engine',
      medianMs: 12.5,
      runsMs: [12.5],
      peakBytes: 1,
      extraBytes: 2048,
      path: [],
      algorithm: 'optimal',
      planMs: 1,
      steps: [],
    },
    builtin: { name: 'tf.conv2d', medianMs: 25, runsMs: [25], peakBytes: 1, extraBytes: 0 },
    ratio: 0.5,
    maxAbsError: 1.5e-6,
    maxAbs: 1,
    wallMs: 2000,
  };

  it('prints one line per case in the quoted format, extra memory after it', () => {
    expect(formatCaseLine(c)).toBe(
      'resnet18.layer1.0.conv1 forward: TN 12.50 ms built-in 25.00 ms (tf.conv2d) ratio 0.50 err 1.5e-6 extra TN 2048 B built-in 0 B (2.0 s)',
    );
  });

  it('summarises the median ratio per op', () => {
    const cases = [0.5, 2, 0.7].map((ratio) => ({ ...c, ratio }));
    expect(summarize({ cases }).forward).toEqual({ median: 0.7, min: 0.5, max: 2, count: 3 });
  });

  it('parses options with one-line errors', () => {
    const args = (list: string[]) => {
      const get = (n: string) => {
        const at = list.indexOf(`--${n}`);
        return at >= 0 ? list[at + 1] : undefined;
      };
      return parseBenchArgs(get, (n) => list.includes(`--${n}`));
    };
    expect(args(['--quick'])).toMatchObject({ batch: 1, maxRunMs: 30_000 });
    expect(args(['--ops', 'forward,kfc']).ops).toEqual(['forward', 'kfc']);
    expect(() => args(['--ops', 'backward'])).toThrow(/^unknown op 'backward' \(known: forward/);
    expect(() => args(['--runs', 'many'])).toThrow(/^--runs takes a number ≥ 1, got 'many'$/);
  });
});
