export { derivative, derivativeBySource, jvp, vjp } from './derivative.ts';
export {
  evaluateExpression,
  expressionResultShape,
  formatExpression,
  type Expression,
  type Term,
} from '../expression.ts';
