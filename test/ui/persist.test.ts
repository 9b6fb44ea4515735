import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatEinsum } from '../../src/core/einsum/index.ts';
import { defaultDoc } from '../../src/ui/editor/model/doc.ts';
import { deserialize, serialize, STORAGE_KEY } from '../../src/ui/editor/model/persist.ts';
import { differentiate, resetTo, useEditor } from '../../src/ui/editor/store/editorStore.ts';
import { startSession } from '../../src/ui/editor/store/editorSession.ts';
import { useUi } from '../../src/ui/editor/store/uiStore.ts';
import { MemoryStorage } from '../helpers/memoryStorage.ts';
import { sketch } from '../helpers/sketches.ts';
import { presetSource, DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';

/** A format-1 save (the first frozen sample). */
const fixture = (
  JSON.parse(
    readFileSync(new URL('../fixtures/formats/editor-v1.json', import.meta.url), 'utf8'),
  ) as { samples: { saved: string }[] }
).samples[0].saved;

beforeEach(() => resetTo(defaultDoc()));

describe('saved work', () => {
  it('round-trips a document', () => {
    const doc = sketch('conv_forward', [{ kind: 'simplify' }]);
    expect(deserialize(serialize(doc))).toEqual({ kind: 'ok', doc });
  });

  it('keeps work a notebook cell would refuse: names that are not identifiers, sizes over the limits', () => {
    const greek = sketch(
      {
        kind: 'network',
        network: {
          sizes: { i: 2, j: 3 },
          tensors: [
            { id: 'T1', label: 'θ', kind: 'data', source: 'θ', transforms: [], legs: ['i', 'j'] },
          ],
          output: ['i'],
          resultShape: [2],
        },
      },
      [{ kind: 'vjp', source: 'θ', term: 0 }],
    );
    expect(deserialize(serialize(greek))).toEqual({ kind: 'ok', doc: greek });
    const huge = sketch(
      presetSource('conv_forward', { ...DEFAULT_LAYER, input: [100000, 100000] }),
    );
    expect(deserialize(serialize(huge))).toEqual({ kind: 'ok', doc: huge });
  });

  it('says what is wrong with a corrupt save', () => {
    expect(deserialize(null)).toEqual({ kind: 'empty' });
    expect(deserialize('{oops')).toEqual({ kind: 'corrupt', reason: 'it is not valid JSON' });
    const wrong = deserialize(
      JSON.stringify({ version: 2, doc: { ...defaultDoc(), diagram: { steps: 'x' } } }),
    );
    expect(wrong.kind === 'corrupt' && wrong.reason).toMatch(/^doc.diagram/);
    const stale = deserialize(
      serialize(sketch('conv_forward', [{ kind: 'vjp', source: 'nope', term: 0 }])),
    );
    expect(stale.kind === 'corrupt' && stale.reason).toMatch(/input 'nope'/);
    const oldStale = deserialize(
      JSON.stringify({
        version: 1,
        doc: { ...JSON.parse(fixture).doc, actions: [{ kind: 'vjp', tensorId: 'nope', term: 0 }] },
      }),
    );
    expect(oldStale.kind === 'corrupt' && oldStale.reason).toMatch(/no tensor 'nope'/);
    expect(deserialize('{"version":3,"doc":{}}').kind).toBe('corrupt');
    const v1 = deserialize('{"version":1,"doc":{"source":42}}');
    expect(v1.kind === 'corrupt' && v1.reason).toMatch(/^doc\.source/);
  });

  it('a session restores the work, saves every change, and starts fresh on a corrupt save', () => {
    const storage = new MemoryStorage();
    let stop = startSession(storage);
    expect(useUi.getState().hintVisible).toBe(true);
    const w = useEditor.getState().derived.network.tensors.find((t) => t.id === 'weight')!;
    differentiate('vjp', w);
    const vjp = formatEinsum(useEditor.getState().derived.network);
    stop();

    resetTo(defaultDoc());
    useUi.setState({ hintVisible: false });
    stop = startSession(storage);
    expect(formatEinsum(useEditor.getState().derived.network)).toBe(vjp);
    expect(useUi.getState().hintVisible).toBe(false);
    stop();

    storage.setItem(STORAGE_KEY, '{"version":2,"doc":{"diagram":{"source":{"kind":"preset"}}}}');
    stop = startSession(storage);
    expect(useEditor.getState().message?.text).toMatch(
      /^Saved work could not be restored \(doc.diagram.source/,
    );
    expect(useEditor.getState().derived.network.tensors).toHaveLength(4);
    stop();
  });
});
