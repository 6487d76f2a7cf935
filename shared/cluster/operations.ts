import type { Id } from '../ids';
import { signalDaysOf } from '../model/systemic-rule';
import type { CandidateMember, CandidateProblem } from './candidate';
import { candidateId, sentencesOf, titleOf } from './cluster';
import { contentStems } from './text';

// What the user does with candidates before accepting them. Pure: each returns new
// candidates and leaves its inputs alone.

function withMembers(base: CandidateProblem, members: CandidateMember[]): CandidateProblem {
  const sorted = [...members].sort((a, b) =>
    (a.receivedAt ?? '') !== (b.receivedAt ?? '') ? ((a.receivedAt ?? '') < (b.receivedAt ?? '') ? -1 : 1) : a.appealId < b.appealId ? -1 : 1,
  );
  return { ...base, id: candidateId(sorted), members: sorted, signalDays: signalDaysOf(sorted.map((m) => m.receivedAt)) };
}

export function renameCandidate(candidate: CandidateProblem, title: string): CandidateProblem {
  const trimmed = title.trim().slice(0, 500);
  return trimmed ? { ...candidate, title: trimmed } : candidate;
}

/**
 * One candidate from several: members united (an appeal in two is counted once), the
 * first candidate's title, territory, category and central appeal kept unless `title` is given.
 */
export function mergeCandidates(candidates: readonly CandidateProblem[], title?: string): CandidateProblem {
  const [first] = candidates;
  if (!first) throw new Error('Nothing to merge');
  const members = new Map<string, CandidateMember>();
  for (const candidate of candidates) for (const member of candidate.members) members.set(`${member.datasetId}:${member.appealId}`, member);
  const terms = [...new Set(candidates.flatMap((c) => c.terms))].slice(0, 5);
  const merged = withMembers({ ...first, terms }, [...members.values()]);
  return title ? renameCandidate(merged, title) : merged;
}

/**
 * Moves the given appeals out into a new candidate. When appeal texts are passed, both
 * parts get a title from their own most central appeal; otherwise the new part keeps
 * the title for the user to rename. Returns [rest, split]; an empty part is not returned.
 */
export function splitCandidate(
  candidate: CandidateProblem,
  appealIds: readonly Id[],
  texts?: ReadonlyMap<Id, string>,
): CandidateProblem[] {
  const moving = new Set(appealIds);
  const stay = candidate.members.filter((m) => !moving.has(m.appealId));
  const go = candidate.members.filter((m) => moving.has(m.appealId));
  const parts = [stay, go].filter((members) => members.length > 0);
  return parts.map((members) => {
    const part = withMembers(candidate, members);
    return texts ? describeFromTexts(part, texts) : part;
  });
}

/** Title, terms and central appeal recomputed from the members' own texts (term frequency within the group). */
export function describeFromTexts(candidate: CandidateProblem, texts: ReadonlyMap<Id, string>): CandidateProblem {
  const cache = new Map<string, string>();
  const surfaces = new Map<string, Map<string, number>>();
  const stemsOf = new Map<Id, Set<string>>();
  const frequency = new Map<string, number>();
  for (const member of candidate.members) {
    const stems = new Set(contentStems(texts.get(member.appealId) ?? '', cache, surfaces));
    stemsOf.set(member.appealId, stems);
    for (const stem of stems) frequency.set(stem, (frequency.get(stem) ?? 0) + 1);
  }
  let central = candidate.members[0]?.appealId ?? candidate.centralAppealId;
  let best = -1;
  for (const member of candidate.members) {
    const stems = stemsOf.get(member.appealId)!;
    let score = 0;
    for (const stem of stems) score += frequency.get(stem)!;
    score /= Math.sqrt(stems.size || 1);
    if (score > best + 1e-9) {
      best = score;
      central = member.appealId;
    }
  }
  const terms = [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([stem]) => [...(surfaces.get(stem)?.entries() ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? stem);
  // the central appeal's sentence that shares most with the group, not its greeting
  let title = texts.get(central) ?? candidate.title;
  let titleScore = -1;
  for (const sentence of sentencesOf(title)) {
    let score = 0;
    for (const stem of new Set(contentStems(sentence, cache))) score += frequency.get(stem) ?? 0;
    if (score > titleScore) {
      titleScore = score;
      title = sentence;
    }
  }
  return { ...candidate, centralAppealId: central, terms, title: titleOf(title) };
}
