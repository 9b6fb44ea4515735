import { fail } from '../errors.ts';
import type { DataTransform, Tensor } from '../network.ts';
import { patternOutputIsDefault } from './subject.ts';

/** JavaScript literals and the expression of one operand in an exported TF.js module. */

export const js = {
  str: (s: string) => JSON.stringify(s),
  list: (xs: readonly (number | string)[]) => JSON.stringify(xs),
  num: (x: number) => {
    if (!Number.isFinite(x)) fail(`cannot write the number ${x} into code`);
    return String(x);
  },
};

function transformExpr(expr: string, tr: DataTransform): string {
  switch (tr.kind) {
    case 'reshape':
      return `tf.reshape(${expr}, ${js.list(tr.shape)})`;
    case 'slice': {
      const step = tr.step ?? 1;
      const indices = Array.from({ length: tr.size }, (_, j) => tr.start + j * step);
      return `gather(${expr}, ${js.list(indices)}, ${tr.axis})`;
    }
    case 'select':
      return `gather(${expr}, ${js.list(tr.indices)}, ${tr.axis})`;
  }
}

export function operandExpr(t: Tensor, sizes: Record<string, number>): string {
  switch (t.kind) {
    case 'data': {
      let expr = `inputs[${js.str(t.source)}]`;
      for (const tr of t.transforms) expr = transformExpr(expr, tr);
      return expr;
    }
    case 'index_pattern': {
      const p = t.pattern;
      const args = [p.inputSize, p.kernelSize, p.stride, p.dilation, p.padLeft, p.padRight];
      if (!patternOutputIsDefault(p)) args.push(p.outputSize);
      let expr = `indexPattern(${args.join(', ')})`;
      (['k', 'o', 'i'] as const).forEach((role, axis) => {
        const kept = t.keep?.[role];
        if (kept) expr = `gather(${expr}, ${js.list(kept)}, ${axis})`;
      });
      if (t.roles.join('') !== 'koi')
        expr = `reduceTo(${expr}, ['k', 'o', 'i'], ${js.list(t.roles)})`;
      return expr;
    }
    case 'delta':
      return `delta(${sizes[t.legs[0]]}, ${t.legs.length})`;
    case 'scalar':
      return js.num(t.value);
  }
}
