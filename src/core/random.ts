/**
 * The one seeded generator of the project: uniform numbers in [0, 1) from a Weyl sequence
 * (adding the golden-ratio constant) mixed by a 32-bit avalanche finaliser. Same seed, same
 * numbers on every platform and backend — which is what makes a dropout step replayable
 * from its seed, a random-greedy plan the same on every machine, and benchmark inputs the
 * same for the tensor network and the built-in.
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 4294967296;
  };
}
