import type { Id } from '../ids';
import { normalizeTerritoryName } from '../import/territory';
import { normalizeText } from '../import/normalize';
import type { Appeal } from '../model/records';
import { signalDaysOf } from '../model/systemic-rule';
import type { CandidateMember, CandidateProblem } from './candidate';
import { contentStems } from './text';

/** What clustering reads of an appeal (an `Appeal` plus the dataset it came from). */
export type ClusterAppeal = Pick<Appeal, 'id' | 'text' | 'receivedAt' | 'territoryId' | 'territoryName' | 'category' | 'categoryName' | 'channel'> & {
  datasetId: Id;
};

export type ClusterPhase = 'prepare' | 'group' | 'describe';

export interface ClusterOptions {
  /** Cosine similarity (0–1) to a group's centre above which an appeal joins the group. */
  threshold: number;
  /** Block by territory and category (true), or by territory only. */
  groupByCategory: boolean;
  onProgress?: (done: number, total: number, phase: ClusterPhase) => void;
}

export const defaultClusterOptions: ClusterOptions = { threshold: 0.25, groupByCategory: true };

interface Vectors {
  /** Doc i's terms are `terms[start[i] .. start[i+1])`, sorted by term id; weights unit-normalised. */
  start: Int32Array;
  terms: Int32Array;
  weights: Float32Array;
  termText: string[];
  termIds: Map<string, number>;
  surfaces: Map<string, Map<string, number>>;
}

/**
 * Groups similar appeals into candidate problems, per territory (and category): Russian
 * stems without stop words, TF-IDF vectors, then per block: a leader pass against
 * group centroids through an inverted index, a pass that moves each appeal to its
 * nearest final centroid, and a pass that joins groups whose centroids are as similar
 * as the threshold. No pairwise O(n²) step and no randomness: the same appeals give the same
 * candidates in the same order, whatever order they come in.
 */
export function clusterAppeals(appeals: readonly ClusterAppeal[], options: Partial<ClusterOptions> = {}): CandidateProblem[] {
  const { threshold, groupByCategory, onProgress } = { ...defaultClusterOptions, ...options };
  const total = appeals.length;
  // canonical order, independent of input order
  const textHash = appeals.map((a) => hashText(a.text));
  const order = appeals.map((_, i) => i).sort((a, b) => compareAppeals(appeals[a]!, appeals[b]!, textHash[a]!, textHash[b]!));
  const sorted = order.map((i) => appeals[i]!);

  const vectors = vectorize(sorted, (done) => onProgress?.(done, total, 'prepare'));

  const blocks = new Map<string, number[]>();
  const territoryKeys = new Map<string, string>();
  sorted.forEach((appeal, i) => {
    let territory = appeal.territoryId;
    if (!territory) {
      const raw = appeal.territoryName ?? '';
      territory = territoryKeys.get(raw);
      if (territory === undefined) territoryKeys.set(raw, (territory = '?' + normalizeTerritoryName(raw)));
    }
    const category = groupByCategory ? (appeal.category ?? '?' + normalizeText(appeal.categoryName ?? '')) : '';
    const key = `${territory}\u0000${category}`;
    const block = blocks.get(key);
    if (block) block.push(i);
    else blocks.set(key, [i]);
  });

  const groups: number[][] = [];
  let done = 0;
  for (const key of [...blocks.keys()].sort()) {
    const block = blocks.get(key)!;
    for (const group of clusterBlock(block, vectors, threshold)) groups.push(group);
    done += block.length;
    onProgress?.(done, total, 'group');
  }

  const candidates = groups.map((group, n) => {
    if (n % 1000 === 0) onProgress?.(n, groups.length, 'describe');
    return describe(group, sorted, vectors, groupByCategory);
  });
  onProgress?.(groups.length, groups.length, 'describe');
  return candidates.sort((a, b) => b.members.length - a.members.length || compareStrings(a.territoryName, b.territoryName) || compareStrings(a.id, b.id));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Date, then text (by hash: equal texts are rare and then the ids decide), then ids. */
function compareAppeals(a: ClusterAppeal, b: ClusterAppeal, ha: number, hb: number): number {
  const da = a.receivedAt ?? '';
  const db = b.receivedAt ?? '';
  if (da !== db) return da < db ? -1 : 1;
  if (ha !== hb) return ha - hb;
  if (a.datasetId !== b.datasetId) return a.datasetId < b.datasetId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function vectorize(appeals: readonly ClusterAppeal[], progress: (done: number) => void): Vectors {
  const stemCache = new Map<string, string>();
  const surfaces = new Map<string, Map<string, number>>();
  const termIds = new Map<string, number>();
  const termText: string[] = [];
  const df: number[] = [];
  const docTerms: Int32Array[] = [];
  const docCounts: Int32Array[] = [];
  let size = 0;
  appeals.forEach((appeal, i) => {
    if (i % 2000 === 0) progress(i);
    const counts = new Map<number, number>();
    for (const stem of contentStems(appeal.text, stemCache, surfaces)) {
      let id = termIds.get(stem);
      if (id === undefined) {
        id = termText.length;
        termIds.set(stem, id);
        termText.push(stem);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from(counts.keys()).sort();
    for (const id of ids) df[id]!++;
    docTerms.push(ids);
    docCounts.push(Int32Array.from(ids, (id) => counts.get(id)!));
    size += ids.length;
  });
  const n = appeals.length;
  const idf = df.map((d) => Math.log((n + 1) / (d + 1)) + 1);
  const start = new Int32Array(n + 1);
  const terms = new Int32Array(size);
  const weights = new Float32Array(size);
  let at = 0;
  for (let i = 0; i < n; i++) {
    start[i] = at;
    const ids = docTerms[i]!;
    const counts = docCounts[i]!;
    let norm = 0;
    for (let k = 0; k < ids.length; k++) {
      const w = (1 + Math.log(counts[k]!)) * idf[ids[k]!]!;
      terms[at + k] = ids[k]!;
      weights[at + k] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < ids.length; k++) weights[at + k] = weights[at + k]! / norm;
    at += ids.length;
  }
  start[n] = at;
  progress(n);
  return { start, terms, weights, termText, termIds, surfaces };
}

/** A sparse vector: `terms[from..to)` with their `weights`. */
interface Sparse {
  terms: Int32Array;
  weights: Float32Array;
  from: number;
  to: number;
}

function docVector(vectors: Vectors, doc: number): Sparse {
  return { terms: vectors.terms, weights: vectors.weights, from: vectors.start[doc]!, to: vectors.start[doc + 1]! };
}

/** Centroids as sums of member vectors (cosine ignores scale), found through term → groups postings. */
class Centroids {
  readonly weights: Map<number, number>[] = [];
  readonly norm2: number[] = [];
  private readonly postings = new Map<number, number[]>();
  private scores = new Float64Array(64);
  private readonly touched: number[] = [];

  get count(): number {
    return this.weights.length;
  }

  create(): number {
    this.weights.push(new Map());
    this.norm2.push(0);
    if (this.scores.length < this.weights.length) {
      const grown = new Float64Array(this.scores.length * 2);
      grown.set(this.scores);
      this.scores = grown;
    }
    return this.weights.length - 1;
  }

  add(group: number, { terms, weights, from, to }: Sparse): void {
    const centroid = this.weights[group]!;
    let norm2 = this.norm2[group]!;
    for (let k = from; k < to; k++) {
      const term = terms[k]!;
      const w = weights[k]!;
      const old = centroid.get(term);
      if (old === undefined) {
        const list = this.postings.get(term);
        if (list) list.push(group);
        else this.postings.set(term, [group]);
        centroid.set(term, w);
        norm2 += w * w;
      } else {
        centroid.set(term, old + w);
        norm2 += 2 * old * w + w * w;
      }
    }
    this.norm2[group] = norm2;
  }

  /** The most similar group (lowest index on ties) and its cosine similarity to a unit vector. */
  best({ terms, weights, from, to }: Sparse): { group: number; similarity: number } {
    const scores = this.scores;
    const touched = this.touched;
    touched.length = 0;
    for (let k = from; k < to; k++) {
      const term = terms[k]!;
      const list = this.postings.get(term);
      if (!list) continue;
      const w = weights[k]!;
      for (const group of list) {
        if (scores[group] === 0) touched.push(group);
        scores[group]! += w * this.weights[group]!.get(term)!;
      }
    }
    let group = -1;
    let similarity = 0;
    for (const g of touched) {
      const s = scores[g]! / Math.sqrt(this.norm2[g]!);
      scores[g] = 0;
      if (s > similarity || (s === similarity && g < group)) {
        similarity = s;
        group = g;
      }
    }
    return { group, similarity };
  }

  /** Group `group`'s centroid as a unit sparse vector, terms ascending. */
  unit(group: number): Sparse {
    const entries = [...this.weights[group]!.entries()].sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(this.norm2[group]!) || 1;
    return {
      terms: Int32Array.from(entries, ([term]) => term),
      weights: Float32Array.from(entries, ([, w]) => w / norm),
      from: 0,
      to: entries.length,
    };
  }
}

function clusterBlock(block: readonly number[], vectors: Vectors, threshold: number): number[][] {
  // pass 1: leader clustering in canonical order
  const first = new Centroids();
  const assignment = new Int32Array(block.length);
  block.forEach((doc, i) => {
    const vector = docVector(vectors, doc);
    const { group, similarity } = first.best(vector);
    const target = group >= 0 && similarity >= threshold ? group : first.create();
    first.add(target, vector);
    assignment[i] = target;
  });
  // pass 2: every appeal moves to the nearest final centroid (early joiners may fit a later group better)
  const second = new Centroids();
  const secondOf = new Map<number, number>();
  const nearest = new Int32Array(block.length);
  block.forEach((doc, i) => {
    const vector = docVector(vectors, doc);
    const { group, similarity } = first.best(vector);
    const target = group >= 0 && similarity >= threshold ? group : assignment[i]!;
    let g = secondOf.get(target);
    if (g === undefined) secondOf.set(target, (g = second.create()));
    second.add(g, vector);
    nearest[i] = g;
  });
  // pass 3: groups whose centroids are alike join (one problem told in two vocabularies), larger groups lead
  const sizes = new Int32Array(second.count);
  for (const g of nearest) sizes[g]!++;
  const bySize = Array.from({ length: second.count }, (_, g) => g).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const third = new Centroids();
  const merged = new Int32Array(second.count);
  for (const g of bySize) {
    const vector = second.unit(g);
    const { group, similarity } = third.best(vector);
    const target = group >= 0 && similarity >= threshold ? group : third.create();
    third.add(target, vector);
    merged[g] = target;
  }
  const members = new Map<number, number[]>();
  block.forEach((doc, i) => {
    const g = merged[nearest[i]!]!;
    const list = members.get(g);
    if (list) list.push(doc);
    else members.set(g, [doc]);
  });
  return [...members.keys()].sort((a, b) => a - b).map((g) => members.get(g)!);
}

function describe(group: readonly number[], appeals: readonly ClusterAppeal[], vectors: Vectors, byCategory: boolean): CandidateProblem {
  const { start, terms, weights, termText, surfaces } = vectors;
  const centroid = new Map<number, number>();
  for (const doc of group) {
    for (let k = start[doc]!; k < start[doc + 1]!; k++) centroid.set(terms[k]!, (centroid.get(terms[k]!) ?? 0) + weights[k]!);
  }
  let central = group[0]!;
  let best = -1;
  for (const doc of group) {
    let dot = 0;
    for (let k = start[doc]!; k < start[doc + 1]!; k++) dot += weights[k]! * centroid.get(terms[k]!)!;
    if (dot > best + 1e-12) {
      best = dot;
      central = doc;
    }
  }
  const topTerms = [...centroid.entries()]
    .sort((a, b) => b[1] - a[1] || (termText[a[0]]! < termText[b[0]]! ? -1 : 1))
    .slice(0, 5)
    .map(([term]) => commonestForm(surfaces.get(termText[term]!)) ?? termText[term]!);

  const members: CandidateMember[] = group
    .map((doc) => appeals[doc]!)
    .map((a) => ({ datasetId: a.datasetId, appealId: a.id, receivedAt: a.receivedAt, channel: a.channel }))
    .sort((a, b) => ((a.receivedAt ?? '') < (b.receivedAt ?? '') ? -1 : (a.receivedAt ?? '') > (b.receivedAt ?? '') ? 1 : a.appealId < b.appealId ? -1 : 1));
  const first = appeals[group[0]!]!;
  const territoryName = mostFrequent(group.map((doc) => appeals[doc]!.territoryName ?? '')) ?? '';
  const category = byCategory ? first.category : mostFrequent(group.map((doc) => appeals[doc]!.category).filter((c): c is string => !!c));
  return {
    id: candidateId(members),
    title: titleOf(bestSentence(appeals[central]!.text, centroid, vectors)),
    terms: topTerms,
    territoryId: first.territoryId,
    territoryName,
    category,
    centralAppealId: appeals[central]!.id,
    members,
    signalDays: signalDaysOf(members.map((m) => m.receivedAt)),
  };
}

const abbreviations = new Set(['ул', 'д', 'г', 'с', 'п', 'пос', 'пр', 'пер', 'им', 'кв', 'мкр', 'ст', 'н', 'обл', 'т', 'др', 'стр', 'корп', '№']);

/** Sentences, not split after address abbreviations («ул. Ленина», «д. 5»). */
export function sentencesOf(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentences: string[] = [];
  let from = 0;
  for (const match of flat.matchAll(/[.!?]+\s+/g)) {
    const before = flat.slice(from, match.index);
    const lastWord = before.slice(before.search(/[^\s]*$/)).toLowerCase().replace(/^[^а-яёa-z№]+/, '');
    if (match[0].startsWith('.') && abbreviations.has(lastWord.replace(/ё/g, 'е'))) continue;
    sentences.push(flat.slice(from, match.index! + match[0].trimEnd().length));
    from = match.index! + match[0].length;
  }
  if (from < flat.length) sentences.push(flat.slice(from));
  return sentences.filter(Boolean);
}

/** The sentence of the central appeal that weighs most on the group's centroid (not its greeting). */
function bestSentence(text: string, centroid: Map<number, number>, vectors: Vectors): string {
  const sentences = sentencesOf(text);
  if (sentences.length <= 1) return text;
  const cache = new Map<string, string>();
  const { termIds } = vectors;
  let best = sentences[0]!;
  let bestScore = -1;
  for (const sentence of sentences) {
    const stems = contentStems(sentence, cache);
    let score = 0;
    for (const stem of new Set(stems)) score += centroid.get(termIds.get(stem) ?? -1) ?? 0;
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = sentence;
    }
  }
  return best;
}

function commonestForm(forms: Map<string, number> | undefined): string | undefined {
  if (!forms) return undefined;
  return [...forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function mostFrequent<T extends string>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** The central appeal's first sentence, cut at a word boundary: a title a person can read and correct. */
export function titleOf(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = sentencesOf(flat)[0] ?? flat;
  const trimmed = sentence.replace(/[.!?\s]+$/, '');
  if (trimmed.length <= max) return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  const cut = trimmed.slice(0, max);
  const space = cut.lastIndexOf(' ');
  const short = (space > max / 2 ? cut.slice(0, space) : cut).replace(/[,;:\s]+$/, '');
  return short.charAt(0).toUpperCase() + short.slice(1) + '…';
}

/** Deterministic id from the members: FNV-1a over the sorted appeal ids. */
export function candidateId(members: readonly CandidateMember[]): string {
  const ids = members.map((m) => `${m.datasetId}:${m.appealId}`).sort();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ members.length;
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    }
    h1 = Math.imul(h1 ^ 0x2c, 0x01000193) >>> 0;
  }
  return 'c' + h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
