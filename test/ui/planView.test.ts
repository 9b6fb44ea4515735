import { describe, expect, it } from 'vitest';
import { buildLayerNetwork } from '../../src/core/layer.ts';
import { pathCost, planNetwork } from '../../src/core/planner/index.ts';
import { handCost, handOperands, planTree } from '../../src/ui/editor/model/planView.ts';
import { DEFAULT_LAYER } from '../../src/core/diagram/presets.ts';

const net = buildLayerNetwork('conv_forward', DEFAULT_LAYER);

describe('plan views', () => {
  it("builds the planner's tree with every tensor as a leaf", () => {
    const plan = planNetwork(net);
    const tree = planTree(net, plan.steps)!;
    const leaves: string[] = [];
    const walk = (n: typeof tree) =>
      n.children.length ? n.children.forEach(walk) : leaves.push(n.label);
    walk(tree);
    expect(leaves.sort()).toEqual(['W', 'x', 'Π₁', 'Π₂'].sort());
    expect(tree.legs).toEqual(expect.arrayContaining(net.output));
  });

  it('costs a hand-made order like the planner costs paths', () => {
    const path = [
      [0, 1],
      [0, 1],
      [0, 1],
    ];
    expect(handCost(net, path.slice(0, 2))).toBeUndefined();
    const cost = handCost(net, path)!;
    const legs = net.tensors.map((t) => t.legs);
    expect(cost.flops).toBe(pathCost(legs, net.output, net.sizes, path).flops);
    const plan = planNetwork(net);
    expect(handCost(net, plan.path)!.structuredFlops).toBe(plan.structuredFlops);
    expect(handOperands(net, [[0, 3]]).map((o) => o.label)).toEqual(['Π₁', 'Π₂', '(x·W)']);
  });
});
