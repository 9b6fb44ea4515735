import { EinsketchError } from '../errors.ts';
import { avgPool } from './avg_pool.ts';
import { convForward } from './conv_forward.ts';
import { convInputJvp } from './conv_input_jvp.ts';
import { convInputVjp } from './conv_input_vjp.ts';
import { convPerExampleWeightVjp } from './conv_per_example_weight_vjp.ts';
import { convTransposeForward } from './conv_transpose_forward.ts';
import { convTransposeKfacReduce } from './conv_transpose_kfac_reduce.ts';
import { convWeightJvp } from './conv_weight_jvp.ts';
import { convWeightVjp } from './conv_weight_vjp.ts';
import { fold } from './fold.ts';
import { ggnDiagonal } from './ggn_diagonal.ts';
import { ggnGram } from './ggn_gram.ts';
import { kfacReduce } from './kfac_reduce.ts';
import { kfc } from './kfc.ts';
import { perExampleGradNorm } from './per_example_grad_norm.ts';
import { sumGradSquared } from './sum_grad_squared.ts';
import type { OpName, Operation } from './operation.ts';
import { unfold } from './unfold.ts';
import { unfoldKernel } from './unfold_kernel.ts';
import { unfoldTranspose } from './unfold_transpose.ts';
import { quoteText } from '../quoteText.ts';

export type { HyperParameters, OpInput, OpName, Operation } from './operation.ts';

/** Every operation of the library, by name, in the order menus list them. */
export const OPERATIONS: Readonly<Record<OpName, Operation>> = {
  conv_forward: convForward,
  conv_input_vjp: convInputVjp,
  conv_weight_vjp: convWeightVjp,
  conv_input_jvp: convInputJvp,
  conv_weight_jvp: convWeightJvp,
  conv_transpose_forward: convTransposeForward,
  unfold,
  unfold_transpose: unfoldTranspose,
  kfc,
  kfac_reduce: kfacReduce,
  conv_transpose_kfac_reduce: convTransposeKfacReduce,
  conv_per_example_weight_vjp: convPerExampleWeightVjp,
  avg_pool: avgPool,
  fold,
  unfold_kernel: unfoldKernel,
  per_example_grad_norm: perExampleGradNorm,
  sum_grad_squared: sumGradSquared,
  ggn_diagonal: ggnDiagonal,
  ggn_gram: ggnGram,
};

export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];

export function isOpName(name: string): name is OpName {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, name);
}

export function getOperation(name: string): Operation {
  if (!isOpName(name)) {
    throw new EinsketchError(`unknown op ${quoteText(name)} (known: ${OP_NAMES.join(', ')})`);
  }
  return OPERATIONS[name];
}
