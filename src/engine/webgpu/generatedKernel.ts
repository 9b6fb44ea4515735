/** WGSL source and launch shape of a generated kernel: what the tfjs custom-program path runs. */
export interface GeneratedKernel {
  kind: 'direct' | 'tiled';
  /** The program's user code: helper functions and `fn main(index: i32)`. */
  source: string;
  workgroupSize: [number, number, number];
  /** Number of workgroups along x, y, z. */
  dispatch: [number, number, number];
  /** Names of the bound input buffers, in order: the operands' buffers, then `tables` if used. */
  variableNames: string[];
  /** Identifies the compiled pipeline: every constant baked into the source is in it. */
  key: string;
  /** Multiply–adds the kernel performs (for the planner's cost and the plan panel). */
  macs: number;
}

/** FNV-1a over the source: pipelines are cached by it. */
export function sourceKey(source: string): string {
  let h = 0x811c9dc5;
  for (let j = 0; j < source.length; j++) {
    h ^= source.charCodeAt(j);
    h = Math.imul(h, 0x01000193);
  }
  return `einsketch_${(h >>> 0).toString(36)}_${source.length}`;
}

/** `let <name> = …` for each leg of a flat row-major index over `legs`. */
export function decompose(
  index: string,
  legs: readonly string[],
  sizes: Readonly<Record<string, number>>,
  name: (leg: string) => string,
  tag: string,
): string[] {
  const lines: string[] = [];
  if (!legs.length) return lines;
  lines.push(`var ${tag} = ${index};`);
  for (let a = legs.length - 1; a >= 0; a--) {
    const s = sizes[legs[a]];
    if (a === 0) lines.push(`let ${name(legs[a])} = ${tag};`);
    else if (s === 1) lines.push(`let ${name(legs[a])} = 0;`);
    else lines.push(`let ${name(legs[a])} = ${tag} % ${s};`, `${tag} = ${tag} / ${s};`);
  }
  return lines;
}
