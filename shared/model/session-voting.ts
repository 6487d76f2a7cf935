import { z } from 'zod';
import { idPattern, type Id } from '../ids';
import type { BoardNode } from './records';

// Dot voting. A ballot is one record per (round, voter, slot) under a deterministic key:
// a voter with N votes owns exactly N keys. Two windows of one user (or a reconnecting
// window) that vote at once pick the same free slot and write the same key, so Yjs keeps
// one of the writes; the tally also drops slots beyond the limit and, when an object may
// take one vote, repeated (voter, object) pairs. Closing a round freezes its results in the
// round record, so a ballot arriving after the close changes nothing anywhere.

const id = z.string().regex(idPattern);

export const votingScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('board') }),
  z.object({ kind: z.literal('frames'), frameIds: z.array(id).min(1).max(200) }),
]);
export type VotingScope = z.infer<typeof votingScopeSchema>;

export const voteResultSchema = z.object({
  nodeId: id,
  votes: z.number().int().nonnegative(),
  /** Named rounds only. */
  voters: z.array(z.string().max(200)).max(500).optional(),
});
export type VoteResult = z.infer<typeof voteResultSchema>;

export const votingRoundSchema = z.object({
  id,
  title: z.string().trim().max(200).default(''),
  votesPerPerson: z.number().int().min(1).max(50),
  scope: votingScopeSchema,
  anonymous: z.boolean(),
  /** Whether one object may take several of one person's votes. */
  allowMultiple: z.boolean(),
  status: z.enum(['open', 'closed']),
  openedAt: z.number().finite(),
  closedAt: z.number().finite().optional(),
  /** Frozen ranking, written when the round closes. */
  results: z.array(voteResultSchema).max(10_000).optional(),
  stageId: id.optional(),
});
export type VotingRound = z.infer<typeof votingRoundSchema>;
export type VotingRoundSettings = Pick<VotingRound, 'votesPerPerson' | 'scope' | 'anonymous' | 'allowMultiple'> & {
  title?: string;
};

/** `<round>.<voterKey>.<slot>` */
export const ballotIdPattern = /^[0-9A-Za-z]{16}\.[0-9A-Za-z]{16}\.\d{1,2}$/;

export const ballotSchema = z.object({
  id: z.string().regex(ballotIdPattern),
  roundId: id,
  voterKey: id,
  slot: z.number().int().min(0).max(49),
  nodeId: id,
  /** Named rounds only. */
  voterName: z.string().max(200).optional(),
});
export type Ballot = z.infer<typeof ballotSchema>;

export function ballotId(roundId: Id, voterKey: Id, slot: number): string {
  return `${roundId}.${voterKey}.${slot}`;
}

const KEY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The key a voter's ballots carry in a round. Named rounds use the profile id; anonymous
 * ones a per-round hash of it, so ballots of different rounds can't be joined by voter
 * (the display hides names either way; the doc is shared, so this is not secrecy).
 */
export function voterKeyFor(round: Pick<VotingRound, 'id' | 'anonymous'>, profileId: Id): Id {
  if (!round.anonymous) return profileId;
  // Two FNV-1a passes with different seeds give 64 bits, spelled as 16 alphanumerics.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const input = `${round.id}:${profileId}`;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ code, 0x01000193 + 2) >>> 0;
  }
  let key = '';
  for (let i = 0; i < 8; i++) {
    key += KEY_ALPHABET[(h1 >>> (i * 4)) % 62] ?? '0';
    key += KEY_ALPHABET[(h2 >>> (i * 4)) % 62] ?? '0';
    h1 = Math.imul(h1 ^ (h1 >>> 13), 0x5bd1e995) >>> 0;
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0x5bd1e995) >>> 0;
  }
  return key;
}

type Box = Pick<BoardNode, 'id' | 'type' | 'x' | 'y' | 'width' | 'height' | 'parentId'>;

export function isVotable(node: Pick<BoardNode, 'type'>): boolean {
  return node.type !== 'frame';
}

/** Whether a node may take votes in a round's scope: inside one of its frames (as a child or by its centre). */
export function inScope(node: Box, scope: VotingScope, nodes: ReadonlyMap<Id, Box>): boolean {
  if (!isVotable(node)) return false;
  if (scope.kind === 'board') return true;
  const cx = node.x + node.width / 2;
  const cy = node.y + node.height / 2;
  return scope.frameIds.some((frameId) => {
    if (node.parentId === frameId) return true;
    const frame = nodes.get(frameId);
    return !!frame && cx >= frame.x && cx <= frame.x + frame.width && cy >= frame.y && cy <= frame.y + frame.height;
  });
}

/** The ballots that count: this round's, within the limit, on existing in-scope objects, each (voter, object) once unless allowed. */
export function countedBallots(round: VotingRound, ballots: Ballot[], nodes: ReadonlyMap<Id, Box>): Ballot[] {
  const seen = new Set<string>();
  const counted: Ballot[] = [];
  const ordered = ballots
    .filter((ballot) => ballot.roundId === round.id && ballot.slot < round.votesPerPerson && ballot.id === ballotId(round.id, ballot.voterKey, ballot.slot))
    .sort((a, b) => a.voterKey.localeCompare(b.voterKey) || a.slot - b.slot);
  for (const ballot of ordered) {
    const node = nodes.get(ballot.nodeId);
    if (!node || !inScope(node, round.scope, nodes)) continue;
    const pair = `${ballot.voterKey}:${ballot.nodeId}`;
    if (!round.allowMultiple && seen.has(pair)) continue;
    seen.add(pair);
    counted.push(ballot);
  }
  return counted;
}

/**
 * Ranking of a round: most votes first, ties in reading order on the board (top to bottom,
 * left to right, as the summary lists them), then by id, so every screen shows the same list.
 */
export function tallyRound(round: VotingRound, ballots: Ballot[], nodes: ReadonlyMap<Id, Box>): VoteResult[] {
  if (round.status === 'closed' && round.results) return round.results;
  const byNode = new Map<Id, { votes: number; voters: Set<string> }>();
  for (const ballot of countedBallots(round, ballots, nodes)) {
    const entry = byNode.get(ballot.nodeId) ?? { votes: 0, voters: new Set<string>() };
    entry.votes += 1;
    if (!round.anonymous && ballot.voterName) entry.voters.add(ballot.voterName);
    byNode.set(ballot.nodeId, entry);
  }
  return [...byNode.entries()]
    .map(([nodeId, entry]) => ({
      nodeId,
      votes: entry.votes,
      ...(round.anonymous ? {} : { voters: [...entry.voters].sort() }),
    }))
    .sort((a, b) => b.votes - a.votes || readingOrder(nodes.get(a.nodeId), nodes.get(b.nodeId)) || a.nodeId.localeCompare(b.nodeId));
}

function readingOrder(a: Box | undefined, b: Box | undefined): number {
  return a && b ? a.y - b.y || a.x - b.x : 0;
}

/**
 * Places of a ranking whose vote counts run from most to fewest: equal counts share a place
 * and the next count takes the place after them (3, 3, 2, 1 votes → 1, 1, 3, 4), on the
 * screen and in the summary alike.
 */
export function rankingPlaces(votes: readonly number[]): number[] {
  let place = 0;
  return votes.map((count, position) => {
    if (position === 0 || votes[position - 1] !== count) place = position + 1;
    return place;
  });
}

/** One voter's counted ballots in a round. */
export function ballotsOf(round: VotingRound, voterKey: Id, ballots: Ballot[], nodes: ReadonlyMap<Id, Box>): Ballot[] {
  return countedBallots(round, ballots, nodes).filter((ballot) => ballot.voterKey === voterKey);
}

export function remainingVotes(round: VotingRound, voterKey: Id, ballots: Ballot[], nodes: ReadonlyMap<Id, Box>): number {
  return Math.max(0, round.votesPerPerson - ballotsOf(round, voterKey, ballots, nodes).length);
}

export type VoteRefusal = 'round-closed' | 'out-of-scope' | 'no-votes-left' | 'already-voted';

/**
 * The ballot a vote for `nodeId` writes: the voter's lowest slot that holds no counted
 * ballot. Two concurrent windows of one voter compute the same slot, hence the same key.
 */
export function planVote(
  round: VotingRound,
  voterKey: Id,
  nodeId: Id,
  ballots: Ballot[],
  nodes: ReadonlyMap<Id, Box>,
): { ok: true; ballot: Omit<Ballot, 'voterName'> } | { ok: false; reason: VoteRefusal } {
  if (round.status !== 'open') return { ok: false, reason: 'round-closed' };
  const node = nodes.get(nodeId);
  if (!node || !inScope(node, round.scope, nodes)) return { ok: false, reason: 'out-of-scope' };
  const mine = ballotsOf(round, voterKey, ballots, nodes);
  if (!round.allowMultiple && mine.some((ballot) => ballot.nodeId === nodeId)) return { ok: false, reason: 'already-voted' };
  const used = new Set(mine.map((ballot) => ballot.slot));
  for (let slot = 0; slot < round.votesPerPerson; slot++) {
    if (!used.has(slot)) {
      return { ok: true, ballot: { id: ballotId(round.id, voterKey, slot), roundId: round.id, voterKey, slot, nodeId } };
    }
  }
  return { ok: false, reason: 'no-votes-left' };
}

/** The ballot that taking back one vote from `nodeId` removes (the voter's highest slot on it). */
export function planUnvote(round: VotingRound, voterKey: Id, nodeId: Id, ballots: Ballot[], nodes: ReadonlyMap<Id, Box>): string | null {
  if (round.status !== 'open') return null;
  const mine = ballotsOf(round, voterKey, ballots, nodes).filter((ballot) => ballot.nodeId === nodeId);
  return mine.sort((a, b) => b.slot - a.slot)[0]?.id ?? null;
}
