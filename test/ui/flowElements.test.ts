import ELK from 'elkjs/lib/elk.bundled.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { elkGeometry } from '../../src/ui/diagram/elkGraph.ts';
import type { Geometry } from '../../src/ui/diagram/geometry.ts';
import { flowEdges, flowNodes } from '../../src/ui/diagram/flowElements.ts';
import { legRefOf } from '../../src/ui/editor/components/canvas/legRef.ts';
import { buildDiagram } from '../../src/ui/diagram/graph.ts';
import { DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';

const net = buildLayerNetwork('conv_forward', DEFAULT_LAYER);
const diagram = buildDiagram(net);
let geometry: Geometry;

beforeAll(async () => {
  geometry = await elkGeometry(new ELK(), net, diagram);
}, 30_000);

describe('React Flow elements', () => {
  it('gives every node its size and handles, so nothing needs measuring', () => {
    const nodes = flowNodes(net, diagram, geometry, { tensors: ['Pi1'], legs: [] });
    for (const n of nodes) {
      expect(n.width).toBeGreaterThan(0);
      expect(n.measured).toEqual({ width: n.width, height: n.height });
      expect(n.handles?.length).toBeGreaterThan(0);
    }
    const pi1 = nodes.find((n) => n.id === 't:Pi1')!;
    expect(pi1.type).toBe('tensor');
    expect(pi1.type === 'tensor' && pi1.data.highlighted).toBe(true);
    expect(pi1.type === 'tensor' && pi1.data.details).toBe('I=32 K=3 S=1 P=1 D=1 (O=32)');
    expect(nodes.find((n) => n.id === 'output')?.type).toBe('boundary');
  });

  it('gives every edge end a handle of its node (no dangling handle ids)', () => {
    const nodes = flowNodes(net, diagram, geometry, { tensors: [], legs: [] });
    const handles = new Map(nodes.map((n) => [n.id, new Set(n.handles?.map((h) => h.id))]));
    for (const e of flowEdges(diagram, geometry, { tensors: [], legs: [] }, undefined)) {
      expect(handles.get(e.source)?.has(e.sourceHandle!), `${e.id} source`).toBe(true);
      expect(handles.get(e.target)?.has(e.targetHandle!), `${e.id} target`).toBe(true);
    }
  });

  it('names a summed index once beside its edge; open legs are named at the border', () => {
    const edges = flowEdges(diagram, geometry, { tensors: [], legs: ['c_in'] }, 'k1');
    const cIn = edges.find((e) => e.id === 'e:c_in')!;
    expect(cIn.data?.label?.text).toBe('c_in · 16');
    expect(cIn.data?.route?.length).toBeGreaterThanOrEqual(2);
    expect(cIn.className).toContain('changed');
    expect(edges.find((e) => e.id === 'e:k1')?.selected).toBe(true);
    expect(edges.filter((e) => e.data?.index === 'n').every((e) => !e.data?.label)).toBe(true);
    const output = flowNodes(net, diagram, geometry, { tensors: [], legs: [] }).find(
      (n) => n.id === 'output',
    )!;
    expect(output.type === 'boundary' && output.data.legs).toEqual([
      'n · 8',
      'g · 1',
      'c_out · 32',
      'o1 · 32',
      'o2 · 32',
    ]);
  });

  it('maps handles back to legs', () => {
    expect(legRefOf('t:weight', 'leg-2')).toEqual({ kind: 'tensor', tensorId: 'weight', axis: 2 });
    expect(legRefOf('output', 'out-1')).toEqual({ kind: 'output', position: 1 });
    expect(legRefOf('output', 'out-new')).toEqual({ kind: 'output-new' });
    expect(legRefOf('h:g', 'hub')).toEqual({ kind: 'hub', index: 'g' });
    expect(legRefOf('t:x', null)).toBeUndefined();
  });
});
