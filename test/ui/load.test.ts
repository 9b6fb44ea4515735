import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Network, Tensor } from '../../src/core/network.ts';
import { buildDiagram } from '../../src/ui/diagram/graph.ts';
import { layoutDiagram } from '../../src/ui/diagram/diagramLayout.ts';
import { sketch } from '../helpers/sketches.ts';
import {
  HISTORY_LIMIT,
  moveNodes,
  resetTo,
  simplifyAll,
  undo,
  useEditor,
} from '../../src/ui/editor/store/editorStore.ts';

/**
 * Load test of the editor (issue 8): a 200-tensor network, 1,000 rule applications and
 * 1,000 undoable edits, with the heap measured after garbage collection.
 */

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** 100 data tensors in a chain, joined through 100 Kronecker deltas, each with a size-1 leg. */
function chain(): Network {
  const tensors: Tensor[] = [];
  const sizes: Record<string, number> = {};
  for (let j = 0; j < 100; j++) {
    sizes[`a${j}`] = 3;
    sizes[`b${j}`] = 3;
    sizes[`u${j}`] = 1;
    tensors.push({
      id: `T${j}`,
      label: `T${j}`,
      kind: 'data',
      source: `T${j}`,
      transforms: [],
      legs: [`a${j}`, `u${j}`, `b${j}`],
    });
    tensors.push({ id: `d${j}`, label: 'δ', kind: 'delta', legs: [`b${j}`, `a${j + 1}`] });
  }
  sizes.a100 = 3;
  return { sizes, tensors, output: ['a0', 'a100'], resultShape: [3, 3] };
}

describe('editor under load', () => {
  it('lays out, simplifies 1,000 times and keeps 1,000 edits in bounded memory', () => {
    const net = chain();
    expect(net.tensors).toHaveLength(200);
    const layoutStart = performance.now();
    layoutDiagram(net, buildDiagram(net));
    const layoutMs = performance.now() - layoutStart;

    resetTo(sketch({ kind: 'network', network: net }));
    const before = heapMiB();
    let applications = 0;
    const simplifyStart = performance.now();
    while (applications < 1000) {
      simplifyAll();
      const steps = useEditor.getState().derived.simplify?.steps.length ?? 0;
      expect(steps).toBeGreaterThan(100);
      applications += steps;
      undo();
    }
    const simplifyMs = performance.now() - simplifyStart;
    const afterRules = heapMiB();

    for (let j = 0; j < 1000; j++) moveNodes({ [`T${j % 100}`]: { x: j, y: -j } });
    const state = useEditor.getState();
    expect(state.history.past.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    const afterEdits = heapMiB();

    console.log(
      `editor load: layout of 200 tensors ${layoutMs.toFixed(0)} ms; ${applications} rule applications in ${simplifyMs.toFixed(0)} ms; ` +
        `heap ${before.toFixed(1)} → ${afterRules.toFixed(1)} MiB after the rules → ${afterEdits.toFixed(1)} MiB after 1,000 edits (history ${state.history.past.length})`,
    );
    // Bounded: the history holds at most HISTORY_LIMIT documents of this network, and the
    // rule applications leave nothing behind once undone.
    expect(afterRules - before).toBeLessThan(64);
    expect(afterEdits - before).toBeLessThan(128);
  }, 120_000);
});
