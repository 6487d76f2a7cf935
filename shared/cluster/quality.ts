/** Share of items that sit in a group whose most common true label is theirs. */
export function purity(groups: readonly (readonly string[])[]): number {
  let total = 0;
  let majority = 0;
  for (const labels of groups) {
    const counts = new Map<string, number>();
    for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    majority += Math.max(0, ...counts.values());
    total += labels.length;
  }
  return total === 0 ? 1 : majority / total;
}

/** Adjusted Rand index between true labels and predicted groups of the same items (1 = identical, ~0 = chance). */
export function adjustedRandIndex(truth: readonly string[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) throw new Error('label lists differ in length');
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    cells.set(`${t}\u0000${p}`, (cells.get(`${t}\u0000${p}`) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(p, (cols.get(p) ?? 0) + 1);
  });
  let index = 0;
  for (const n of cells.values()) index += pairs(n);
  let a = 0;
  for (const n of rows.values()) a += pairs(n);
  let b = 0;
  for (const n of cols.values()) b += pairs(n);
  const expected = (a * b) / pairs(truth.length);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Purity and ARI of candidates against true labels of their appeals (for tests and benchmarks). */
export function candidateQuality(
  candidates: readonly { id: string; members: readonly { appealId: string }[] }[],
  labelOf: ReadonlyMap<string, string>,
): { purity: number; ari: number; labels: number } {
  const truth: string[] = [];
  const predicted: string[] = [];
  for (const candidate of candidates) {
    for (const member of candidate.members) {
      truth.push(labelOf.get(member.appealId) ?? '');
      predicted.push(candidate.id);
    }
  }
  return {
    purity: purity(candidates.map((c) => c.members.map((m) => labelOf.get(m.appealId) ?? ''))),
    ari: adjustedRandIndex(truth, predicted),
    labels: new Set(truth).size,
  };
}
