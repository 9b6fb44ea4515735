import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCell,
  diagramCell,
  documentSchema,
  emptyDocument,
  exportNotebook,
  importNotebook,
  notebookFileName,
  proseCell,
  readDocument,
  runCell,
  setRunResult,
  type DocumentFormat,
} from '../../../src/core/notebook/index.ts';
import { jsonErrorOffset } from '../../../src/core/notebook/jsonError.ts';
import { documentArb } from './arbitraries.ts';
import { SMALL_PRESETS } from '../../helpers/smallPresets.ts';

function sample() {
  let doc = emptyDocument('File test');
  doc = addCell(doc, proseCell('p', 'text with $x$'));
  doc = addCell(doc, diagramCell('d', SMALL_PRESETS[8]));
  doc = addCell(doc, runCell('r', 'd'));
  return setRunResult(doc, 'r', {
    backend: 'cpu',
    at: 'now',
    shape: [2, 18, 18],
    maxError: 0,
    timeTnMs: 2,
    timeBuiltinMs: null,
  });
}

describe('notebook files', () => {
  it('every generated document is valid', () => {
    fc.assert(
      fc.property(documentArb, (doc) => documentSchema.safeParse(doc).success),
      { numRuns: 200 },
    );
  });

  it('round-trips through JSON, with or without results', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const back = importNotebook(exportNotebook(doc));
        expect(back).toEqual({ ok: true, doc });
      }),
      { numRuns: 150 },
    );
    const doc = sample();
    const bare = importNotebook(exportNotebook(doc, { includeResults: false, indent: 0 }));
    expect(bare.ok && bare.doc.cells[2]).toMatchObject({ lastResult: null });
  });

  it('gives one-line errors for bad files', () => {
    const cases: [string, RegExp][] = [
      ['', /invalid JSON/],
      [
        '{"version": 1, "title": "x", "cells": [}',
        /invalid JSON: unexpected "}" at line 1, column 40/,
      ],
      ['{"version": 1', /ends before/],
      [
        '{\n  "version": 1,\n  "title": "x",\n  "cells": [,]\n}',
        /unexpected "," at line 4, column 13/,
      ],
      ['[]', /JSON object/],
      ['{"version": 99, "title": "x", "cells": []}', /format version 99, newer/],
      ['{"version": "1", "title": "x", "cells": []}', /'version' must be/],
      ['{"version": 1, "title": "x"}', /cells/],
      ['{"version": 1, "title": "x", "cells": [{"id": "a", "kind": "prose"}]}', /cells\.0\.text/],
      [
        '{"version": 1, "title": "x", "cells": [{"id": "a", "kind": "prose", "text": "", "html": "<b>"}]}',
        /unknown field\(s\) 'html'/,
      ],
      [
        `{"version": 1, "title": "x", "cells": [${'{"id":"a","kind":"prose","text":""},'.repeat(300)}{}]}`,
        /300|limit is 200/,
      ],
    ];
    for (const [text, pattern] of cases) {
      const read = importNotebook(text);
      expect(read.ok).toBe(false);
      if (!read.ok) {
        expect(read.error).toMatch(/^not a notebook file: /);
        expect(read.error).toMatch(pattern);
        expect(read.error).not.toContain('\n');
      }
    }
    expect(importNotebook('x'.repeat(5_000_000))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/limit/),
    });
  });

  it('rejects shapes and layers over the limits before building', () => {
    const huge = {
      version: 1,
      title: 't',
      cells: [
        {
          id: 'd',
          kind: 'diagram',
          source: {
            kind: 'preset',
            op: 'conv_forward',
            layer: {
              ...SMALL_PRESETS[0].layer,
              batch: 4096,
              inChannels: 4096,
              groups: 1,
              input: [4096, 4096],
            },
          },
        },
      ],
    };
    expect(readDocument(huge)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/input has \d+ entries; the limit is/),
    });
    const einsum = {
      ...huge,
      cells: [
        {
          id: 'd',
          kind: 'diagram',
          source: { kind: 'einsum', equation: 'ab->a', shapes: [[1 << 20, 1 << 20]] },
        },
      ],
    };
    expect(readDocument(einsum)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/operand 1 has \d+ entries/),
    });
  });

  it('reads documents through migrations', () => {
    const doc = sample();
    const next: DocumentFormat<Record<string, unknown>> = {
      version: 3,
      schema: documentSchema.transform((d) => d) as never,
      migrations: { 2: (d) => ({ ...d, version: 2 }) },
    };
    // A v3 format whose schema is v2's (the migration only passes through): a v2 file reads.
    expect(readDocument(doc, next)).toMatchObject({ ok: true, migratedFrom: 2 });
    const broken: DocumentFormat = {
      ...next,
      migrations: {
        2: () => {
          throw new Error('boom');
        },
      },
    } as never;
    expect(readDocument(doc, broken)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/cannot upgrade .* version 2: internal error: boom/),
    });
    expect(readDocument(doc, { ...next, migrations: {} } as never)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no migration from format version 2/),
    });
  });

  it('reads a frozen version 1 notebook file (run cells as one draw)', () => {
    // Written by einsketch in format 1; must keep opening in every later version.
    const text = readFileSync(
      fileURLToPath(new URL('../../fixtures/notebook-v1.einsketch.json', import.meta.url)),
      'utf8',
    );
    expect(JSON.parse(text).version).toBe(1);
    const read = importNotebook(text);
    if (!read.ok) throw new Error(read.error);
    expect(read.migratedFrom).toBe(1);
    expect(read.doc.version).toBe(2);
    expect(read.doc.cells.map((c) => c.kind)).toEqual([
      'prose',
      'diagram',
      'diagram',
      'run',
      'run',
      'chart',
    ]);
    const runs = read.doc.cells.filter((c) => c.kind === 'run');
    expect(runs.map((r) => r.draws)).toEqual([1, 1]);
    expect(runs[0].lastResult).toMatchObject({ relativeError: 0.43, relativeCost: 0.25 });
    expect(runs[0].lastResult?.spread).toBeUndefined();
    // Written back in the current format, it reads as the same document.
    const again = importNotebook(exportNotebook(read.doc));
    expect(again).toEqual({ ok: true, doc: read.doc });
  });

  it('locates JSON errors exactly where JSON.parse fails', () => {
    const valid = (t: string) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '{', '[', 'x', ' '))
      .map(([j, at, ins]) => {
        const k = at % (j.length + 1);
        return j.slice(0, k) + ins + j.slice(k + (at % 2));
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
        expect(jsonErrorOffset(text) === -1).toBe(valid(text));
      }),
      { numRuns: 3000 },
    );
    expect(jsonErrorOffset('['.repeat(200_000))).toBe(200_000);
  });

  it('makes safe file names', () => {
    expect(notebookFileName('KFC vs. KFAC-reduce: ResNet')).toBe(
      'KFC-vs-KFAC-reduce-ResNet.einsketch.json',
    );
    expect(notebookFileName('../../etc/passwd')).toBe('etc-passwd.einsketch.json');
    expect(notebookFileName('<script>')).toBe('script.einsketch.json');
    expect(notebookFileName('Ünïcödé Π')).toBe('Unicode.einsketch.json');
    expect(notebookFileName('')).toBe('notebook.einsketch.json');
    expect(notebookFileName('a'.repeat(500)).length).toBeLessThanOrEqual(
      80 + '.einsketch.json'.length,
    );
  });
});
