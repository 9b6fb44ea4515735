import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { simplify } from '../../src/core/rewrite/index.ts';
import {
  diffEdges,
  diffNodes,
  ease,
  lerpRoute,
  padRoute,
} from '../../src/ui/diagram/diagramDiff.ts';
import { elkGeometry } from '../../src/ui/diagram/elkGraph.ts';
import { diffScenes, sceneAt, settled, type Scene } from '../../src/ui/diagram/transition.ts';
import { flowEdges, flowNodes } from '../../src/ui/diagram/flowElements.ts';
import type { Network } from '../../src/core/network.ts';
import { buildDiagram } from '../../src/ui/diagram/graph.ts';
import { defaultDoc } from '../../src/ui/editor/model/doc.ts';
import type { Step } from '../../src/core/notebook/index.ts';
import { derive, sourceNetwork } from '../../src/ui/editor/model/replayDoc.ts';
import { replayFrames } from '../../src/ui/editor/model/replay.ts';
import { presetSource } from '../../src/core/diagram/presets.ts';

const at = (x: number, y: number) => ({ x, y });

describe('diffing two diagrams', () => {
  it('keeps nodes by id with their old and new place, removes and adds the rest', () => {
    const d = diffNodes(
      [
        { id: 't:x', position: at(0, 0), name: 'x' },
        { id: 't:Pi', position: at(10, 0), name: 'Π' },
        { id: 'h:c', position: at(5, 5) },
      ],
      [
        { id: 't:x', position: at(0, 20), name: 'x' },
        { id: 't:d', position: at(30, 0), name: 'δ' },
      ],
    );
    expect(d.kept).toEqual([{ id: 't:x', was: 't:x', from: at(0, 0), to: at(0, 20) }]);
    expect(d.removed).toEqual(['t:Pi', 'h:c']);
    expect(d.added).toEqual(['t:d']);
  });

  it('matches a tensor whose id changed by its name when that name is unique', () => {
    const d = diffNodes(
      [
        { id: 't:a', position: at(1, 2), name: 'W' },
        { id: 't:p1', position: at(0, 0), name: 'Π' },
        { id: 't:p2', position: at(0, 9), name: 'Π' },
      ],
      [
        { id: 't:b', position: at(3, 4), name: 'W' },
        { id: 't:p3', position: at(0, 0), name: 'Π' },
      ],
    );
    expect(d.kept).toEqual([{ id: 't:b', was: 't:a', from: at(1, 2), to: at(3, 4) }]);
    // Π was not unique before, so the new Π is not taken for either old one.
    expect(d.added).toEqual(['t:p3']);
    expect(d.removed).toEqual(['t:p1', 't:p2']);
  });

  it('splits edges into kept, removed and added', () => {
    expect(diffEdges(['e:a', 'e:b'], ['e:b', 'e:c'])).toEqual({
      kept: ['e:b'],
      removed: ['e:a'],
      added: ['e:c'],
    });
  });

  it('eases from 0 to 1, symmetric about the middle', () => {
    expect(ease(0)).toBe(0);
    expect(ease(1)).toBe(1);
    expect(ease(0.5)).toBeCloseTo(0.5);
    expect(ease(0.25) + ease(0.75)).toBeCloseTo(1);
    expect(ease(-1)).toBe(0);
    expect(ease(2)).toBe(1);
  });

  it('blends routes with different numbers of bends, ending on both', () => {
    const a = [at(0, 0), at(10, 0)];
    const b = [at(0, 10), at(5, 10), at(5, 20), at(10, 20)];
    expect(padRoute(a, 4)).toEqual([at(0, 0), at(0, 0), at(0, 0), at(10, 0)]);
    expect(lerpRoute(a, b, 0)).toEqual(padRoute(a, 4));
    expect(lerpRoute(a, b, 1)).toEqual(b);
    expect(lerpRoute(a, b, 0.5)[3]).toEqual(at(10, 10));
  });
});

async function scene(net: Network): Promise<Scene> {
  const diagram = buildDiagram(net);
  const geometry = await elkGeometry(new ELK(), net, diagram);
  const none = { tensors: [], legs: [] };
  return {
    nodes: flowNodes(net, diagram, geometry, none),
    edges: flowEdges(diagram, geometry, none, undefined),
  };
}

describe('frames of a simplification step', () => {
  it('moves kept nodes, fades removed and added ones, and never leaves an edge dangling', async () => {
    const net = sourceNetwork(presetSource('dense_patchify'));
    const steps = simplify(net, {}).steps;
    expect(steps.length).toBeGreaterThan(0);
    const before = await scene(net);
    const after = await scene(steps[0].network);
    const diff = diffScenes(before, after);
    expect(diff.nodes.removed.length + diff.nodes.added.length).toBeGreaterThan(0);

    const start = sceneAt(before, after, diff, 0);
    const middle = sceneAt(before, after, diff, 0.5);
    const end = sceneAt(before, after, diff, 1);
    for (const k of diff.nodes.kept) {
      expect(start.nodes.find((n) => n.id === k.id)!.position).toEqual(k.from);
      expect(end.nodes.find((n) => n.id === k.id)!.position).toEqual(k.to);
    }
    const opacity = (s: Scene, phase: string) =>
      s.nodes.filter((n) => n.data.phase === phase).map((n) => n.style?.opacity);
    if (diff.nodes.removed.length) {
      expect(opacity(start, 'leaving')).toEqual(diff.nodes.removed.map(() => 1));
      expect(opacity(middle, 'leaving').every((o) => Number(o) > 0 && Number(o) < 1)).toBe(true);
      expect(opacity(end, 'leaving')).toEqual(diff.nodes.removed.map(() => 0));
    }
    if (diff.nodes.added.length)
      expect(opacity(start, 'entering')).toEqual(diff.nodes.added.map(() => 0));
    for (const s of [start, middle, end]) {
      const handles = new Map(s.nodes.map((n) => [n.id, new Set(n.handles?.map((h) => h.id))]));
      expect(new Set(s.nodes.map((n) => n.id)).size).toBe(s.nodes.length);
      for (const e of s.edges) {
        expect(handles.get(e.source)?.has(e.sourceHandle!), `${e.id} source`).toBe(true);
        expect(handles.get(e.target)?.has(e.targetHandle!), `${e.id} target`).toBe(true);
      }
    }
    // Retargeting in the middle starts from what is drawn, without what was leaving.
    const again = settled(middle);
    expect(again.nodes.map((n) => n.id)).toEqual(after.nodes.map((n) => n.id));
  }, 30_000);
});

describe('replaying a derivation', () => {
  it('goes from the source through each action and each rewrite step to the network shown', () => {
    const base = defaultDoc();
    const source = derive(base).network;
    const weight = source.tensors.find((t) => t.kind === 'data' && t.id !== source.tensors[0].id)!;
    const steps: Step[] = [
      { kind: 'vjp', source: weight.kind === 'data' ? weight.source : 'T', term: 0 },
      { kind: 'simplify', steps: 2 },
    ];
    const doc = { ...base, diagram: { ...base.diagram, steps } };
    const shown = derive(doc);
    const frames = replayFrames(doc);
    expect(shown.simplify!.at).toBe(Math.min(2, shown.simplify!.steps.length));
    expect(frames).toHaveLength(2 + shown.simplify!.at);
    expect(frames[0].network).toEqual(source);
    expect(frames[1].network).toEqual(
      derive({ ...doc, diagram: { ...doc.diagram, steps: steps.slice(0, 1) } }).network,
    );
    expect(frames[frames.length - 1].network).toEqual(shown.network);
    expect(frames[frames.length - 1].highlight).toEqual(shown.highlight);
    expect(frames[2].caption).toContain(shown.simplify!.steps[0].step.rule);
  });

  it('has nothing to play without actions', () => {
    expect(replayFrames(defaultDoc())).toHaveLength(1);
  });
});
