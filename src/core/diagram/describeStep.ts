import type { Step } from '../notebook/index.ts';

/** One line per step, in words. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'derivative':
      return step.occurrence
        ? `∂/∂${step.occurrence}${step.term !== undefined ? `, term ${step.term + 1}` : ''}`
        : `∂/∂${step.source} (every occurrence)${step.term !== undefined ? `, term ${step.term + 1}` : ''}`;
    case 'vjp':
      return `VJP with respect to ${step.source}${step.vector ? ` (vector ${step.vector})` : ''}`;
    case 'jvp':
      return `JVP with respect to ${step.source}${step.tangent ? ` (tangent ${step.tangent})` : ''}`;
    case 'simplify': {
      const how =
        step.steps === undefined
          ? 'to the end'
          : `${step.steps} step${step.steps === 1 ? '' : 's'}`;
      const off = step.disabled?.length ? `, without ${step.disabled.join(', ')}` : '';
      return `simplify, ${how}${off}`;
    }
    case 'dropout':
      return `tensor dropout on ${step.index}: keep ${Math.round(step.keep * 1000) / 10}% (seed ${step.seed})`;
    case 'squared_norm':
      return step.keep.length ? `squared norm, keeping ${step.keep.join(', ')}` : 'squared norm';
  }
}
