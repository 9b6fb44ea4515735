import fc from 'fast-check';
import LZString from 'lz-string';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  addCell,
  cellSchema,
  diagramCell,
  emptyDocument,
  proseCell,
  runCell,
  setRunResult,
  type DocumentFormat,
  DOCUMENT_VERSION,
  MIGRATIONS,
  type NotebookDocument,
} from '../../../src/core/notebook/index.ts';
import {
  SHARE_LIMITS,
  checksum,
  createShareCodec,
  decodeShare,
  encodeDiagramShare,
  encodeShare,
  shareHash,
} from '../../../src/core/share/index.ts';
import { documentArb, HOSTILE_TEXT } from '../notebook/arbitraries.ts';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, reportFuzz } from '../../helpers/fuzz.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';

function notebook(): NotebookDocument {
  let doc = emptyDocument('Shared <b>notebook</b>');
  doc = addCell(
    doc,
    proseCell(
      'intro',
      'The convolution $Y = X \\star W$ as a tensor network. <script>alert(1)</script>',
    ),
  );
  doc = addCell(
    doc,
    diagramCell('conv', SMALL_PRESETS[0], {
      steps: [{ kind: 'vjp', source: 'weight' }, { kind: 'simplify' }],
    }),
  );
  doc = addCell(doc, runCell('run', 'conv', { seed: 3 }));
  return doc;
}

/**
 * The worst case of LZString's format for a link of a given length: one literal 'a',
 * then codes that each name the entry being defined (w + w[0]), so the k-th code adds
 * k + 1 characters to the output, then the end code. Written bit by bit as the decoder
 * reads them (each code least significant bit first, six bits per character).
 */
function lzBomb(codes: number): string {
  const bits: number[] = [];
  const put = (value: number, width: number) => {
    for (let b = 0; b < width; b++) bits.push((value >> b) & 1);
  };
  put(0, 2);
  put(97, 8);
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  for (let k = 0; k < codes; k++) {
    put(dictSize, numBits);
    dictSize++;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  put(2, numBits);
  while (bits.length % 6) bits.push(0);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
  let out = '';
  for (let j = 0; j < bits.length; j += 6)
    out += alphabet[bits.slice(j, j + 6).reduce((v, bit, b) => v | (bit << (5 - b)), 0)];
  return `${out}A`;
}

/** Builds a payload around any JSON text, with a valid checksum (what a forger could do). */
function forge(json: string): string {
  const compressed = LZString.compressToEncodedURIComponent(json);
  return `1${checksum(compressed)}${compressed}`;
}

const sizes: Record<string, { diagram: number; notebook: number }> = {};

describe('share links', () => {
  it.each(SMALL_PRESETS.map((p) => [p.op, p] as const))(
    'the %s preset makes a link under 2 kB',
    (op, source) => {
      const cell = diagramCell('d', source, { title: op });
      const diagramPayload = encodeDiagramShare(cell);
      let doc = addCell(emptyDocument(op), proseCell('about', `The ${op} preset.`));
      doc = addCell(addCell(doc, cell), runCell('r', 'd'));
      const hash = shareHash(doc);
      sizes[op] = { diagram: diagramPayload.length + 4, notebook: hash.length };
      // The whole fragment '#/s/<payload>' is what has to fit.
      expect(diagramPayload.length + '#/s/'.length).toBeLessThan(2048);
      expect(hash.length).toBeLessThan(2048);
      expect(decodeShare(diagramPayload)).toEqual({
        ok: true,
        doc: { version: DOCUMENT_VERSION, title: op, cells: [cell] },
      });
      expect(decodeShare(hash)).toEqual({ ok: true, doc });
    },
  );

  it('reports the link sizes', () => {
    // Printed for the record (docs / report); the assertions are above.
    console.log(`share link sizes (characters of #/s/…): ${JSON.stringify(sizes)}`);
    expect(Object.keys(sizes).length).toBe(SMALL_PRESETS.length);
  });

  it('round-trips any valid notebook', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const full = decodeShare(encodeShare(doc, { includeResults: true }));
        expect(full).toEqual({ ok: true, doc });
        const bare = decodeShare(encodeShare(doc));
        expect(
          bare.ok && bare.doc.cells.every((c) => c.kind !== 'run' || c.lastResult === null),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps hostile text as plain text', () => {
    let doc = emptyDocument('<script>alert("title")</script>');
    HOSTILE_TEXT.forEach((text, j) => {
      doc = addCell(doc, proseCell(`p${j}`, text));
    });
    const back = decodeShare(encodeShare(doc));
    expect(back).toEqual({ ok: true, doc });
    expect(back.ok && back.doc.cells.map((c) => c.kind === 'prose' && c.text)).toEqual(
      HOSTILE_TEXT,
    );
  });

  it('drops run results unless asked', () => {
    const doc = setRunResult(notebook(), 'run', {
      backend: 'webgpu',
      at: 'x',
      shape: [1],
      maxError: 0,
      timeTnMs: 1,
      timeBuiltinMs: 1,
    });
    const bare = decodeShare(encodeShare(doc));
    expect(bare.ok && bare.doc.cells[2]).toMatchObject({ lastResult: null });
    const full = decodeShare(encodeShare(doc, { includeResults: true }));
    expect(full.ok && full.doc.cells[2]).toMatchObject({ lastResult: { backend: 'webgpu' } });
  });

  it('rejects every truncation of a link', () => {
    const payload = encodeShare(notebook());
    for (let len = 0; len < payload.length; len++) {
      const read = decodeShare(payload.slice(0, len));
      expect(read.ok).toBe(false);
      if (!read.ok)
        expect(read.error).toMatch(
          /^cannot open this link: (the link is (empty|cut short|damaged))/,
        );
    }
  });

  it('rejects every one-character edit of a link', () => {
    const payload = encodeShare(notebook());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
    let tried = 0;
    for (let at = 0; at < payload.length; at++) {
      for (const k of [1, 17, 40]) {
        const ch = alphabet[(alphabet.indexOf(payload[at]) + k) % alphabet.length];
        const read = decodeShare(payload.slice(0, at) + ch + payload.slice(at + 1));
        tried++;
        expect(read.ok).toBe(false);
      }
    }
    expect(tried).toBe(3 * payload.length);
  });

  it(
    'never throws or hangs on random and mutated payloads',
    () => {
      const outcomes = { opened: 0, refused: 0 };
      const payload = encodeShare(notebook());
      const json = JSON.stringify(notebook());
      const mutation = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }));
      const splice = (s: string, [at, del, ins]: [number, number, string]) => {
        const k = at % (s.length + 1);
        return s.slice(0, k) + ins + s.slice(k + del);
      };
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 400 }),
            fc.string({ maxLength: 400, unit: 'binary' }),
            mutation.map((m) => splice(payload, m)),
            // Forged checksum: the JSON itself is edited, so only the schema can catch it.
            fc
              .array(mutation, { minLength: 1, maxLength: 4 })
              .map((ms) => forge(ms.reduce(splice, json))),
            fc.json().map(forge),
          ),
          (input) => {
            const t = performance.now();
            const read = decodeShare(input);
            expect(performance.now() - t).toBeLessThan(1000);
            outcomes[read.ok ? 'opened' : 'refused']++;
            if (read.ok) expect(read.doc.version).toBe(DOCUMENT_VERSION);
            else expect(read.error).not.toContain('\n');
          },
        ),
        fuzzParameters(2000),
      );
      reportFuzz('share link decoder', outcomes);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('checks sizes before doing the work', () => {
    expect(decodeShare('1'.repeat(SHARE_LIMITS.maxPayloadLength + 1))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/too long/),
    });
    // A decompression bomb as long as the length limit allows: stopped at the decompressed size.
    let codes = 1000;
    while (lzBomb(codes + 100).length + 7 <= SHARE_LIMITS.maxPayloadLength) codes += 100;
    const compressed = lzBomb(codes);
    const expands = ((codes + 1) * (codes + 2)) / 2;
    expect(LZString.decompressFromEncodedURIComponent(lzBomb(50))).toBe('a'.repeat((51 * 52) / 2));
    const bomb = `1${checksum(compressed)}${compressed}`;
    expect(bomb.length).toBeLessThanOrEqual(SHARE_LIMITS.maxPayloadLength);
    const t = performance.now();
    expect(decodeShare(bomb)).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        new RegExp(`too large \\(${expands} characters; the limit is 262144\\)`),
      ),
    });
    const ms = performance.now() - t;
    console.log(
      `worst-case link of ${bomb.length} characters expands to ${expands} characters; rejected in ${ms.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(2000);
    const many = JSON.stringify({
      version: 1,
      title: 'x',
      cells: Array.from({ length: 250 }, (_, j) => ({ id: `c${j}`, kind: 'prose', text: '' })),
    });
    expect(decodeShare(forge(many))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/250 cells; the limit is 200/),
    });
    const bigTensor = {
      version: 1,
      title: 'x',
      cells: [
        {
          id: 'd',
          kind: 'diagram',
          source: { kind: 'einsum', equation: 'ab', shapes: [[100000, 100000]] },
        },
      ],
    };
    expect(decodeShare(forge(JSON.stringify(bigTensor)))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/operand 1 has 10000000000 entries/),
    });
    const manyTensors = {
      ...bigTensor,
      cells: [
        {
          ...bigTensor.cells[0],
          source: { kind: 'einsum', equation: 'a', shapes: Array.from({ length: 300 }, () => [2]) },
        },
      ],
    };
    expect(decodeShare(forge(JSON.stringify(manyTensors)))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/shapes: Too big/i),
    });
  });

  it('gives clear errors for other bad links', () => {
    const payload = encodeShare(notebook());
    const cases: [string, RegExp][] = [
      ['', /the link is empty/],
      ['1abc<def', /character that share links never have \('<' at position 5\)/],
      // A newline must not break the one-line message.
      ['-\n\u0000', /character that share links never have \(U\+000A at position 2\)/],
      [`9${payload.slice(1)}`, /unknown link format '9'/],
      [
        forge('{"version": 7, "title": "x", "cells": []}'),
        /format version 7, newer than this einsketch reads/,
      ],
      [forge('[1, 2'), /not valid JSON/],
      [
        forge(
          '{"version": 1, "title": "x", "cells": [{"id": "a", "kind": "run", "diagram": "zz"}]}',
        ),
        /there is no cell 'zz'/,
      ],
      [
        forge('{"version": 1, "title": "x", "cells": [], "__proto__": {"polluted": true}}'),
        /unknown field/,
      ],
    ];
    for (const [input, pattern] of cases) {
      const read = decodeShare(input);
      expect(read).toMatchObject({ ok: false, error: expect.stringMatching(pattern) });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('opens links that passed through mail or chat programs', () => {
    const payload = encodeShare(notebook());
    const doc = notebook();
    expect(decodeShare(encodeURIComponent(payload))).toEqual({ ok: true, doc });
    expect(decodeShare(payload.replace(/\+/g, ' '))).toEqual({ ok: true, doc });
    expect(decodeShare(`https://example.org/einsketch/#/s/${payload}`)).toEqual({ ok: true, doc });
    expect(decodeShare(`  ${payload}\n`)).toEqual({ ok: true, doc });
  });

  it('refuses to share an invalid notebook or one too large for a link', () => {
    expect(() => encodeShare({ ...notebook(), title: 'a\nb' })).toThrow(
      /cannot share an invalid notebook: title/,
    );
    let big = emptyDocument('big');
    // Incompressible text: 40 cells of random characters.
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 94) + 33;
    for (let j = 0; j < 40; j++)
      big = addCell(
        big,
        proseCell(`p${j}`, String.fromCharCode(...Array.from({ length: 1000 }, rnd))),
      );
    expect(() => encodeShare(big)).toThrow(
      /too large for a link \(\d+ characters; the limit is 12000\): export it as a file/,
    );
  });
});

describe('link versions', () => {
  /**
   * A simulated next format (3): the title is renamed 'name' and a run cell's timing
   * options move into one object. Its migration from 2 is what a real format change would
   * ship; links of format 1 reach it through the real migration 1 → 2 first.
   */
  const runV2 = z
    .object({
      id: z.string(),
      kind: z.literal('run'),
      diagram: z.string(),
      backend: z.string(),
      seed: z.number(),
      timing: z.object({ repeats: z.number(), warmup: z.number() }).strict(),
      draws: z.number(),
      compareBuiltin: z.boolean(),
      inputs: z.string(),
      estimates: z.string().optional(),
      lastResult: z.unknown(),
    })
    .strict();
  const cellV2 = z.union([runV2, cellSchema]);
  const documentV2 = z
    .object({ version: z.literal(3), name: z.string(), cells: z.array(cellV2) })
    .strict();
  type DocumentV2 = z.infer<typeof documentV2>;
  const formatV2: DocumentFormat<DocumentV2> = {
    version: 3,
    schema: documentV2,
    migrations: {
      ...MIGRATIONS,
      2: ({ title, cells, ...rest }) => ({
        ...rest,
        version: 3,
        name: title,
        cells: (cells as Record<string, unknown>[]).map(({ repeats, warmup, ...cell }) =>
          cell.kind === 'run' ? { ...cell, timing: { repeats, warmup } } : cell,
        ),
      }),
    },
  };
  const codecV2 = createShareCodec(formatV2);

  it('a link of the current format still opens after the format moved on', () => {
    expect(DOCUMENT_VERSION).toBe(2);
    const v2Link = encodeShare(notebook());
    const read = codecV2.decode(v2Link);
    expect(read).toMatchObject({ ok: true, migratedFrom: 2 });
    if (!read.ok) return;
    expect(read.doc.version).toBe(3);
    expect(read.doc.name).toBe('Shared <b>notebook</b>');
    expect(read.doc.cells[2]).toMatchObject({ kind: 'run', timing: { repeats: 5, warmup: 1 } });
    expect(read.doc.cells[1]).toEqual(notebook().cells[1]);
  });

  it('a newer link round-trips in its format and is refused by this reader with a clear message', () => {
    const v3 = codecV2.decode(encodeShare(notebook()));
    if (!v3.ok) throw new Error(v3.error);
    const v3Link = codecV2.encode(v3.doc);
    expect(codecV2.decode(v3Link)).toEqual({ ok: true, doc: v3.doc });
    expect(decodeShare(v3Link)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/format version 3, newer than this einsketch reads \(up to 2\)/),
    });
  });

  it('a kept v1 link (made by this version) opens', () => {
    // Written once by encodeShare in format 1; must keep opening in every later version.
    const kept =
      '1' +
      checksum(
        LZString.compressToEncodedURIComponent(
          JSON.stringify({
            version: 1,
            title: 'kept',
            cells: [{ id: 'd', kind: 'diagram', source: SMALL_PRESETS[0] }],
          }),
        ),
      ) +
      LZString.compressToEncodedURIComponent(
        JSON.stringify({
          version: 1,
          title: 'kept',
          cells: [{ id: 'd', kind: 'diagram', source: SMALL_PRESETS[0] }],
        }),
      );
    const read = decodeShare(kept);
    expect(read).toMatchObject({ ok: true, migratedFrom: 1 });
    expect(read.ok && read.doc.cells[0]).toMatchObject({
      id: 'd',
      kind: 'diagram',
      steps: [],
      view: { layout: 'auto' },
    });
  });
});
