import { fail } from '../errors.ts';

/** Numbers, strings and lists written as Python source. */
export const py = {
  str: (s: string) => JSON.stringify(s),
  list: (xs: readonly number[]) => `[${xs.join(', ')}]`,
  tuple: (xs: readonly number[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`),
  num: (x: number) => {
    if (!Number.isFinite(x)) fail(`cannot write the number ${x} into code`);
    const s = String(x);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  },
};
