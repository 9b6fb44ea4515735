export {
  dropoutCost,
  dropoutStep,
  randomTensorDropout,
  tensorDropout,
  type DropoutCost,
  type DropoutResult,
} from './dropout.ts';
export { keptCount, sampleKept, seededUniform } from './random.ts';
