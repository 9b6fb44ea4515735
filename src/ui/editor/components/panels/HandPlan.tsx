import { useMemo } from 'react';
import { errorMessage } from '../../../../core/errors.ts';
import type { Network } from '../../../../core/network.ts';
import type { ContractionPlan, CostModel } from '../../../../core/planner/index.ts';
import { formatCount, handCost, handOperands } from '../../model/planView.ts';
import { pickOperand, resetHandPath, undoHandStep, useUi } from '../../store/uiStore.ts';

/** Contract pairs by hand (click two operands) and compare the cost with the planner's. */
export function HandPlan({
  network,
  plan,
  costModel,
}: {
  network: Network;
  plan: ContractionPlan;
  costModel?: CostModel;
}) {
  const path = useUi((s) => s.handPath);
  const pick = useUi((s) => s.handPick);
  const state = useMemo(() => {
    try {
      return { operands: handOperands(network, path), cost: handCost(network, path, costModel) };
    } catch (err) {
      return { operands: [], error: errorMessage(err) };
    }
  }, [network, path, costModel]);
  return (
    <details className="hand-plan" open={path.length > 0 || undefined}>
      <summary>Reorder by hand</summary>
      <p className="muted small">Click two operands to contract them next.</p>
      <div className="operand-chips" data-testid="hand-operands">
        {state.operands.map((op, k) => (
          <button
            key={`${k}-${op.label}`}
            type="button"
            className={pick === k ? 'chip is-picked' : 'chip'}
            data-testid={`hand-operand-${k}`}
            title={`[${op.legs.join(' ')}]`}
            onClick={() => pickOperand(k)}
            disabled={state.operands.length < 2}
          >
            {op.label}
          </button>
        ))}
      </div>
      <div className="row">
        <button type="button" onClick={undoHandStep} disabled={path.length === 0}>
          Back one pair
        </button>
        <button type="button" onClick={resetHandPath} disabled={path.length === 0}>
          Start over
        </button>
      </div>
      {state.error && <p className="field-error">{state.error}</p>}
      {state.cost && (
        <p className="small" data-testid="hand-cost">
          your order: <strong>{formatCount(state.cost.structuredFlops)}</strong> FLOPs ={' '}
          <strong data-testid="hand-ratio">
            {(state.cost.structuredFlops / plan.structuredFlops).toFixed(2)}×
          </strong>{' '}
          the planner's {formatCount(plan.structuredFlops)} (dense: {formatCount(state.cost.flops)}{' '}
          vs {formatCount(plan.flops)})
        </p>
      )}
    </details>
  );
}
