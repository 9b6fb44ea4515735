/**
 * Fixed-width bit sets over the indices (or tensors) of one planning problem. The search
 * algorithms compare and combine index sets hundreds of thousands of times, so sets are
 * plain Uint32Array words rather than Set<string>; every set of a problem has the same
 * number of words, which lets the hot loops run without allocating.
 */

export type Bits = Uint32Array;

export function wordCount(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32));
}

export function emptyBits(words: number): Bits {
  return new Uint32Array(words);
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5] |= 1 << (i & 31);
}

export function clearBit(b: Bits, i: number): void {
  b[i >>> 5] &= ~(1 << (i & 31));
}

export function hasBit(b: Bits, i: number): boolean {
  return (b[i >>> 5] & (1 << (i & 31))) !== 0;
}

export function copyBits(b: Bits): Bits {
  return new Uint32Array(b);
}

export function copyInto(out: Bits, a: Bits): Bits {
  out.set(a);
  return out;
}

export function orInto(out: Bits, a: Bits, b: Bits): Bits {
  for (let w = 0; w < out.length; w++) out[w] = a[w] | b[w];
  return out;
}

export function andInto(out: Bits, a: Bits, b: Bits): Bits {
  for (let w = 0; w < out.length; w++) out[w] = a[w] & b[w];
  return out;
}

export function equalBits(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

/** a ⊆ b */
export function isSubset(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w] & ~b[w]) !== 0) return false;
  return true;
}

export function intersects(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w] & b[w]) !== 0) return true;
  return false;
}

export function isEmptyBits(a: Bits): boolean {
  for (let w = 0; w < a.length; w++) if (a[w] !== 0) return false;
  return true;
}

/** Positions of the set bits, ascending. */
export function bitList(b: Bits): number[] {
  const out: number[] = [];
  for (let w = 0; w < b.length; w++) {
    let word = b[w];
    while (word !== 0) {
      const low = word & -word;
      out.push(w * 32 + 31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}

/** ∏ sizes[i] over the set bits: the dense size of a tensor over these indices. */
export function productOver(b: Bits, sizes: Float64Array): number {
  let p = 1;
  for (let w = 0; w < b.length; w++) {
    let word = b[w];
    while (word !== 0) {
      const low = word & -word;
      p *= sizes[w * 32 + 31 - Math.clz32(low)];
      word ^= low;
    }
  }
  return p;
}

/** ∏ sizes over a ∩ b, without materialising the intersection. */
export function productOverAnd(a: Bits, b: Bits, sizes: Float64Array): number {
  let p = 1;
  for (let w = 0; w < a.length; w++) {
    let word = a[w] & b[w];
    while (word !== 0) {
      const low = word & -word;
      p *= sizes[w * 32 + 31 - Math.clz32(low)];
      word ^= low;
    }
  }
  return p;
}

/** ∏ sizes over a \ b. */
export function productOverAndNot(a: Bits, b: Bits, sizes: Float64Array): number {
  let p = 1;
  for (let w = 0; w < a.length; w++) {
    let word = a[w] & ~b[w];
    while (word !== 0) {
      const low = word & -word;
      p *= sizes[w * 32 + 31 - Math.clz32(low)];
      word ^= low;
    }
  }
  return p;
}

/** A stable string key (for memo tables keyed by sets). */
export function bitsKey(b: Bits): string {
  return Array.prototype.join.call(b, '.');
}
