/** What each kind of step is, for titles. */
export const KIND_TITLES: Record<string, string> = {
  tiled: 'generated WebGPU kernel: tiled implicit matrix product, Π read as index arithmetic',
  direct: 'generated WebGPU kernel: one invocation per block of result entries',
  phased:
    'split by phase: a strided result computed one phase (every S-th position) per dispatch, no divisibility test',
  lazy: 'no work: a pattern joins the tensor it indexes, read by a later kernel',
  gather: 'tfjs gather (Π materialised)',
  matmul: 'tfjs matMul',
  transpose: 'tfjs transpose',
  sum: 'tfjs sum',
  mul: 'tfjs elementwise product',
};
