import type { DataTransform, Tensor } from '../network.ts';
import { py } from './pythonLiterals.ts';
import { patternOutputIsDefault } from './subject.ts';

/** How a script reads one operand: the input viewed, sliced and selected as the network says. */
export type Framework = 'torch' | 'jax';

function take(fw: Framework, expr: string, indices: readonly number[], axis: number): string {
  return fw === 'torch'
    ? `${expr}.index_select(${axis}, torch.tensor(${py.list(indices)}))`
    : `jnp.take(${expr}, jnp.asarray(${py.list(indices)}), axis=${axis})`;
}

function transformExpr(fw: Framework, expr: string, tr: DataTransform): string {
  switch (tr.kind) {
    case 'reshape':
      return `${expr}.reshape(${tr.shape.length ? tr.shape.join(', ') : '()'})`;
    case 'slice': {
      // Python indexing leaves the axes after the last one given untouched.
      const step = tr.step ?? 1;
      const stop = tr.start + (tr.size - 1) * step + 1;
      return `${expr}[${':, '.repeat(tr.axis)}${tr.start}:${stop}${step === 1 ? '' : `:${step}`}]`;
    }
    case 'select':
      return take(fw, expr, tr.indices, tr.axis);
  }
}

const ROLE_AXIS = { k: 0, o: 1, i: 2 } as const;

export function operandExpr(fw: Framework, t: Tensor, sizes: Record<string, number>): string {
  switch (t.kind) {
    case 'data': {
      let expr = `inputs[${py.str(t.source)}]`;
      for (const tr of t.transforms) expr = transformExpr(fw, expr, tr);
      return expr;
    }
    case 'index_pattern': {
      const p = t.pattern;
      const args = [p.inputSize, p.kernelSize, p.stride, p.dilation, p.padLeft, p.padRight].join(
        ', ',
      );
      let expr = `index_pattern(${args}${patternOutputIsDefault(p) ? '' : `, O=${p.outputSize}`})`;
      for (const role of ['k', 'o', 'i'] as const) {
        const kept = t.keep?.[role];
        if (kept) expr = take(fw, expr, kept, ROLE_AXIS[role]);
      }
      const roles = t.roles.join('');
      if (roles !== 'koi')
        expr = `${fw === 'torch' ? 'torch' : 'jnp'}.einsum("koi->${roles}", ${expr})`;
      return expr;
    }
    case 'delta':
      return `delta(${sizes[t.legs[0]]}, ${t.legs.length})`;
    case 'scalar':
      return py.num(t.value);
  }
}

// ---------------------------------------------------------------------------------------
// The script
