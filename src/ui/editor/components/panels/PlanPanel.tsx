import { useMemo } from 'react';
import { errorMessage } from '../../../../core/errors.ts';
import type { Network } from '../../../../core/network.ts';
import {
  planNetwork,
  type CostModel,
  type ContractionPlan,
  type PlanAlgorithm,
} from '../../../../core/planner/index.ts';
import { LIVE_PLAN_BUDGET_MS } from '../../model/planBudget.ts';
import {
  formatCount,
  planTree,
  stepOperandLabels,
  type PlanTreeNode,
} from '../../model/planView.ts';
import { useEditor } from '../../store/editorStore.ts';
import { setAlgorithm, useUi } from '../../store/uiStore.ts';
import { GENERATED_KERNELS_COST } from '../../../../engine/webgpu/kernelCost.ts';
import { useBackend } from '../../../useBackend.ts';
import { HandPlan } from './HandPlan.tsx';
import {
  measuredSteps,
  plannedKernels,
  type PlanKernels,
  type PlanStepRun,
} from '../../model/planKernels.ts';
import { networkKey, useStepTimes } from '../../../common/stepTimes.ts';
import { formatMs } from '../../../common/formatNumbers.ts';
import { KIND_TITLES } from '../../../common/stepKinds.ts';

const ALGORITHMS: PlanAlgorithm[] = [
  'auto',
  'optimal',
  'branch-bound',
  'greedy',
  'random-greedy',
  'sequential',
];

export function usePlan(
  network: Network,
  algorithm: PlanAlgorithm,
  costModel?: CostModel,
): { plan?: ContractionPlan; error?: string } {
  return useMemo(() => {
    try {
      return {
        plan: planNetwork(network, { algorithm, timeBudgetMs: LIVE_PLAN_BUDGET_MS, costModel }),
      };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  }, [network, algorithm, costModel]);
}

/** On WebGPU the generated kernels run the plan: its FLOPs are theirs (Π read in place). */
function useCostModel(): CostModel | undefined {
  return useBackend()?.name === 'webgpu' ? GENERATED_KERNELS_COST : undefined;
}

/** What the structured FLOPs count, in words. */
function flopsMeaning(plan: ContractionPlan): string {
  return plan.costModel
    ? `as the ${plan.costModel} run them (Π read in place)`
    : 'with Π as gathers';
}

function TreeNode({ node }: { node: PlanTreeNode }) {
  if (node.children.length === 0) {
    return (
      <li className="plan-leaf">
        <strong>{node.label}</strong> <span className="muted">[{node.legs.join(' ')}]</span>
      </li>
    );
  }
  return (
    <li>
      <span className="plan-step-label">
        {node.label} → [{node.legs.join(' ')}]{' '}
        <span className="muted">{formatCount(node.step!.structuredFlops)} FLOPs</span>
      </span>
      <ul>
        {node.children.map((child, k) => (
          <TreeNode key={k} node={child} />
        ))}
      </ul>
    </li>
  );
}

/**
 * What runs each step: the generated kernels on WebGPU (known before a run), and the kinds
 * and times of the last run of this network along this path.
 */
function useStepRuns(
  network: Network,
  plan: ContractionPlan,
): { kernels?: PlanKernels; measured?: PlanStepRun[]; otherPath: boolean } {
  const webgpu = useBackend()?.name === 'webgpu';
  const kernels = useMemo(
    () => (webgpu ? plannedKernels(network, plan) : undefined),
    [webgpu, network, plan],
  );
  const key = useMemo(() => networkKey(network), [network]);
  const last = useStepTimes((s) => s.byNetwork[key]);
  const measured = useMemo(() => last && measuredSteps(plan, last), [last, plan]);
  return { kernels, measured, otherPath: last !== undefined && !measured };
}

function StepTable({ plan, network }: { plan: ContractionPlan; network: Network }) {
  const meaning = flopsMeaning(plan);
  const labels = useMemo(() => stepOperandLabels(network, plan.steps), [plan, network]);
  const { kernels, measured, otherPath } = useStepRuns(network, plan);
  const runsAs = (k: number): string[] | undefined =>
    measured?.[k].kinds ?? kernels?.steps[k].kinds;
  return (
    <>
      {kernels?.fallback && (
        <p className="small run-reason" data-testid="plan-kernel-fallback">
          generated kernels not used: {kernels.fallback}
        </p>
      )}
      {otherPath && (
        <p className="small muted" data-testid="plan-other-path">
          The last run of this network took another path: run it again for this plan’s step times.
        </p>
      )}
      <div className="plan-table-scroll">
        <table className="plan-table" data-testid="plan-table">
          <thead>
            <tr>
              <th>#</th>
              <th>contracts</th>
              <th title="what the step does: gather (Π reads a dense tensor), relabel (δ), dense (matrix product), view (Π rides on the tensor it indexes), fused (one kernel reads both sides through their patterns), …">
                kind
              </th>
              <th
                title={`what runs the step on ${measured ? 'the backend of the last run' : 'WebGPU'}: ${Object.keys(
                  KIND_TITLES,
                )
                  .map((k) => `${k} = ${KIND_TITLES[k]}`)
                  .join('; ')}`}
              >
                kernel
              </th>
              <th
                title={`FLOPs ${meaning}; hover a value for the FLOPs with every tensor dense (opt_einsum)`}
              >
                FLOPs
              </th>
              <th title="elements of the result">size</th>
              <th title="time of the step in the last run's profiled run (each step awaited): compare steps with each other">
                ms
              </th>
            </tr>
          </thead>
          <tbody>
            {plan.steps.map((step, k) => (
              <tr
                key={k}
                title={`${step.einsum}${step.summed.length ? `; sums ${step.summed.join(' ')}` : ''}`}
              >
                <td>{k + 1}</td>
                <td>{labels[k]}</td>
                <td>{step.kind}</td>
                <td
                  data-testid="plan-step-kernel"
                  title={
                    runsAs(k)?.length === 0
                      ? 'no kernel: the pattern rides on the tensor it meets, read by a later kernel'
                      : runsAs(k)
                          ?.map((kind) => KIND_TITLES[kind] ?? kind)
                          .join('; ')
                  }
                >
                  {describeRun(runsAs(k))}
                </td>
                <td className="num" title={`${formatCount(step.flops)} if every tensor were dense`}>
                  {formatCount(step.structuredFlops)}
                </td>
                <td className="num">{formatCount(step.resultSize)}</td>
                <td className="num" data-testid="plan-step-ms">
                  {measured?.[k].ms !== undefined ? formatMs(measured[k].ms) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A step that runs nothing rides as a view on a later kernel; unknown before a run off WebGPU. */
function describeRun(kinds: string[] | undefined): string {
  if (!kinds) return '';
  return kinds.length ? kinds.join(' + ') : '—';
}

/** The planner's contraction order for the current network, and one built by hand. */
export function PlanPanel() {
  const network = useEditor((s) => s.derived.network);
  const algorithm = useUi((s) => s.algorithm);
  const costModel = useCostModel();
  const { plan, error } = usePlan(network, algorithm, costModel);
  const tree = useMemo(() => (plan ? planTree(network, plan.steps) : undefined), [plan, network]);
  return (
    <section className="panel plan-panel" aria-label="Contraction plan">
      <h2>Contraction plan</h2>
      <label className="row small">
        algorithm
        <select
          data-testid="plan-algorithm"
          value={algorithm}
          onChange={(e) => setAlgorithm(e.target.value as PlanAlgorithm)}
        >
          {ALGORITHMS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="field-error" data-testid="error">
          {error}
        </p>
      )}
      {plan && (
        <>
          <p className="small" data-testid="plan-summary">
            <strong data-testid="plan-used">{plan.algorithm}</strong>:{' '}
            <strong data-testid="plan-flops">{formatCount(plan.structuredFlops)}</strong> FLOPs{' '}
            {flopsMeaning(plan)} ({formatCount(plan.flops)} if every tensor were dense), largest
            intermediate {formatCount(plan.largestIntermediate)}
          </p>
          <StepTable plan={plan} network={network} />
          {tree && (
            <details className="plan-tree">
              <summary>Tree</summary>
              <ul data-testid="plan-tree">
                <TreeNode node={tree} />
              </ul>
            </details>
          )}
          <HandPlan network={network} plan={plan} costModel={costModel} />
        </>
      )}
    </section>
  );
}
