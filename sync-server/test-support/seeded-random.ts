/** Mulberry32: numbers in [0, 1) from a seed, so a fuzz test runs the same cases every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `edits`, picked at random, with one to three of its bytes set to random values. */
export function mutatedEdit(random: () => number, edits: readonly Uint8Array[]): { index: number; mutated: Uint8Array } {
  const index = Math.floor(random() * edits.length);
  const mutated = edits[index]!.slice();
  for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
    mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
  }
  return { index, mutated };
}
