import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../ids';
import {
  estimateClockOffset,
  extendTimer,
  formatRemaining,
  hasEnded,
  isVisibleTo,
  newTimer,
  pauseTimer,
  rankingPlaces,
  readAgenda,
  remainingMs,
  resetTimer,
  roundsHistory,
  SessionDoc,
  startTimer,
  tallyRound,
  voterKeyFor,
  type Ballot,
  type BoardNode,
  type VotingRound,
} from './index';

const MIN = 60_000;
const anna = { id: newId(), name: 'Анна' };
const boris = { id: newId(), name: 'Борис' };

function syncedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'));
  b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update, 'remote'));
  return [a, b];
}

/** Two docs that exchange their pending changes only when told, like two windows offline. */
function laggingPair(): { a: Y.Doc; b: Y.Doc; sync(): void } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  return {
    a,
    b,
    sync() {
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    },
  };
}

function stickies(session: SessionDoc, count: number): BoardNode[] {
  return Array.from({ length: count }, (_, i) =>
    session.board.addSticky({ x: i * 200, y: 0 }, { name: 'Анна', color: '#2f9e44' }, 'yellow', `Идея ${i + 1}`),
  );
}

describe('session timer', () => {
  it('counts down from the start and keeps what was left across a pause', () => {
    let timer = startTimer(newTimer(5 * MIN), 1_000);
    expect(remainingMs(timer, 1_000)).toBe(5 * MIN);
    expect(remainingMs(timer, 61_000)).toBe(4 * MIN);
    timer = pauseTimer(timer, 91_000);
    expect(timer.running).toBe(false);
    expect(remainingMs(timer, 10_000_000)).toBe(3.5 * MIN);
    timer = startTimer(timer, 200_000);
    expect(remainingMs(timer, 230_000)).toBe(3 * MIN);
  });

  it('adds a minute to the time left and the timebox, running or paused', () => {
    const running = extendTimer(startTimer(newTimer(2 * MIN), 0), 30_000);
    expect(remainingMs(running, 30_000)).toBe(2.5 * MIN);
    expect(remainingMs(running, 90_000)).toBe(1.5 * MIN);
    expect(running.durationMs).toBe(3 * MIN);
    const paused = extendTimer(pauseTimer(startTimer(newTimer(MIN), 0), 50_000), 999_999);
    expect(remainingMs(paused, 2_000_000)).toBe(70_000);
  });

  it('gives a participant who joins late the same remaining time as everyone else', () => {
    const [facilitatorDoc, lateDoc] = [new Y.Doc(), new Y.Doc()];
    const facilitator = new SessionDoc(facilitatorDoc);
    facilitator.setTimer(startTimer(newTimer(10 * MIN), 1_000_000));
    facilitator.updateTimer((timer) => pauseTimer(timer, 1_120_000), 0);
    facilitator.updateTimer((timer) => startTimer(timer, 1_300_000), 0);
    // joins 4 minutes later: loads the doc state, never saw any tick
    Y.applyUpdate(lateDoc, Y.encodeStateAsUpdate(facilitatorDoc));
    const late = new SessionDoc(lateDoc).timer()!;
    expect(remainingMs(late, 1_540_000)).toBe(4 * MIN);
    expect(remainingMs(late, 1_540_000)).toBe(remainingMs(facilitator.timer()!, 1_540_000));
  });

  it('ends at zero without going negative, and reset loads the timebox again', () => {
    const timer = startTimer(newTimer(MIN), 0);
    expect(hasEnded(timer, 59_999)).toBe(false);
    expect(hasEnded(timer, 61_000)).toBe(true);
    expect(remainingMs(timer, 999_000)).toBe(0);
    const reset = resetTimer(timer);
    expect(reset).toMatchObject({ running: false, pausedRemainingMs: MIN, startedAt: null });
    expect(hasEnded(newTimer(0), 5)).toBe(false);
  });

  it('formats rounding up so 0:00 shows only when time is up', () => {
    expect(formatRemaining(5 * MIN)).toBe('5:00');
    expect(formatRemaining(59_001)).toBe('1:00');
    expect(formatRemaining(1)).toBe('0:01');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(61 * MIN)).toBe('1:01:00');
  });

  it('estimates a remote clock offset from the fastest message', () => {
    // remote clock is 5 s ahead; latencies 40, 3 and 12 ms
    const samples = [40, 3, 12].map((latency, i) => ({ sentAt: 105_000 + i * 1000, receivedAt: 100_000 + i * 1000 + latency }));
    expect(estimateClockOffset(samples)).toBe(5_000 - 3);
    expect(estimateClockOffset([])).toBe(0);
  });

  it('refuses a malformed timer and keeps the previous one', () => {
    const session = new SessionDoc(new Y.Doc());
    session.setTimer(newTimer(MIN));
    expect(() => session.setTimer({ ...newTimer(MIN), durationMs: -5 })).toThrow();
    expect(session.timer()).toMatchObject({ durationMs: MIN });
  });
});

describe('agenda', () => {
  it('moves through stages recording actual start and end times, and loads each timebox into the timer', () => {
    const session = new SessionDoc(new Y.Doc());
    const [problems, causes] = session.setAgenda([
      { title: 'Проблемы', durationMs: 20 * MIN },
      { title: 'Причины', durationMs: 15 * MIN, private: true },
    ]);
    expect(readAgenda(session.doc).currentStageId).toBeNull();

    session.goToNextStage(1_000);
    expect(session.currentStage()?.title).toBe('Проблемы');
    expect(session.timer()).toMatchObject({ durationMs: 20 * MIN, running: false });
    expect(session.isPrivateStage()).toBe(false);

    session.goToNextStage(25 * MIN);
    const agenda = readAgenda(session.doc);
    expect(agenda.currentStageId).toBe(causes!.id);
    expect(agenda.stages[0]).toMatchObject({ id: problems!.id, startedAt: 1_000, endedAt: 25 * MIN });
    expect(agenda.stages[1]).toMatchObject({ startedAt: 25 * MIN });
    expect(agenda.stages[1]!.endedAt).toBeUndefined();
    expect(session.timer()?.durationMs).toBe(15 * MIN);
    expect(session.isPrivateStage()).toBe(true);

    session.goToNextStage(40 * MIN);
    expect(readAgenda(session.doc).currentStageId).toBeNull();
    expect(readAgenda(session.doc).stages[1]).toMatchObject({ startedAt: 25 * MIN, endedAt: 40 * MIN });
  });

  it('going back to a stage keeps its first start and reopens it', () => {
    const session = new SessionDoc(new Y.Doc());
    const [first, second] = session.setAgenda([
      { title: 'Идеи', durationMs: MIN },
      { title: 'Голосование', durationMs: MIN },
    ]);
    session.goToStage(first!.id, 100);
    session.goToStage(second!.id, 200);
    session.goToStage(first!.id, 300);
    const stages = readAgenda(session.doc).stages;
    expect(stages[0]).toMatchObject({ startedAt: 100 });
    expect(stages[0]!.endedAt).toBeUndefined();
    expect(stages[1]).toMatchObject({ startedAt: 200, endedAt: 300 });
  });

  it('reorders, edits and removes stages, and rejects an empty title', () => {
    const session = new SessionDoc(new Y.Doc());
    const [a, b] = session.setAgenda([
      { title: 'А', durationMs: MIN },
      { title: 'Б', durationMs: MIN },
    ]);
    session.moveStage(b!.id, -1);
    expect(readAgenda(session.doc).stages.map((stage) => stage.title)).toEqual(['Б', 'А']);
    session.updateStage(a!.id, { durationMs: 7 * MIN, private: true });
    expect(() => session.updateStage(a!.id, { title: '  ' })).toThrow();
    session.goToStage(a!.id, 1);
    session.removeStage(a!.id);
    expect(readAgenda(session.doc)).toMatchObject({ currentStageId: null, stages: [{ title: 'Б' }] });
  });
});

describe('private writing', () => {
  it('hides a private sticky from everyone but its author until one reveal shows them all', () => {
    const [docA, docB] = syncedPair();
    const a = new SessionDoc(docA);
    const b = new SessionDoc(docB);
    a.board.addSticky({ x: 0, y: 0 }, { ...anna, color: '#000000' }, 'yellow', 'тайна Анны', { privateUntilReveal: true });
    b.board.addSticky({ x: 0, y: 0 }, { ...boris, color: '#000000' }, 'yellow', 'тайна Бориса', { privateUntilReveal: true });
    const seenBy = (session: SessionDoc, id: string) =>
      session.board.nodes
        .list()
        .filter((node) => isVisibleTo(node, id))
        .map((node) => node.text);
    expect(seenBy(b, boris.id)).toEqual(['тайна Бориса']);
    expect(seenBy(a, anna.id)).toEqual(['тайна Анны']);
    expect(seenBy(a, newId())).toEqual([]);
    expect(b.hiddenCount()).toBe(2);

    let transactions = 0;
    docB.on('afterTransaction', () => transactions++);
    expect(a.revealPrivate()).toBe(2);
    expect(transactions).toBe(1);
    expect(seenBy(b, boris.id).sort()).toEqual(['тайна Анны', 'тайна Бориса']);
    expect(b.hiddenCount()).toBe(0);
  });
});

describe('facilitator locks', () => {
  it('locks and unlocks objects in one step, skipping ones that are gone', () => {
    const session = new SessionDoc(new Y.Doc());
    const [x, y] = stickies(session, 2);
    session.setLocked([x!.id, y!.id, newId()], true);
    expect(session.board.nodes.list().map((node) => node.locked)).toEqual([true, true]);
    session.setLocked([x!.id], false);
    expect(session.board.nodes.get(x!.id)?.locked).toBeUndefined();
    expect(session.board.nodes.get(y!.id)?.locked).toBe(true);
  });
});

describe('dot voting', () => {
  const board = { kind: 'board' } as const;

  it('limits each person to their votes, one per object unless allowed, and ranks identically on both sides', () => {
    const [docA, docB] = syncedPair();
    const a = new SessionDoc(docA);
    const b = new SessionDoc(docB);
    const [x, y, z] = stickies(a, 3);
    const round = a.startRound({ votesPerPerson: 2, scope: board, anonymous: false, allowMultiple: false }, 0);

    expect(a.vote(round.id, anna, x!.id)).toEqual({ ok: true });
    expect(a.vote(round.id, anna, x!.id)).toEqual({ ok: false, reason: 'already-voted' });
    expect(a.vote(round.id, anna, y!.id)).toEqual({ ok: true });
    expect(a.vote(round.id, anna, z!.id)).toEqual({ ok: false, reason: 'no-votes-left' });
    expect(b.vote(round.id, boris, y!.id)).toEqual({ ok: true });
    expect(b.votesOf(round, boris.id).remaining).toBe(1);

    const ranking = b.results(b.rounds.get(round.id)!);
    expect(ranking).toEqual([
      { nodeId: y!.id, votes: 2, voters: ['Анна', 'Борис'] },
      { nodeId: x!.id, votes: 1, voters: ['Анна'] },
    ]);
    expect(a.results(a.rounds.get(round.id)!)).toEqual(ranking);

    // taking a vote back frees it
    expect(a.unvote(round.id, anna, x!.id)).toBe(true);
    expect(a.vote(round.id, anna, z!.id)).toEqual({ ok: true });
    expect(a.votesOf(a.rounds.get(round.id)!, anna.id).perNode).toEqual(new Map([[y!.id, 1], [z!.id, 1]]));
  });

  it('lists tied objects in reading order on the board, as the summary does', () => {
    const session = new SessionDoc(new Y.Doc());
    const author = { name: 'Анна', color: '#2f9e44' };
    const lower = session.board.addSticky({ x: 0, y: 400 }, author, 'yellow', 'Ниже');
    const right = session.board.addSticky({ x: 400, y: 0 }, author, 'yellow', 'Справа');
    const left = session.board.addSticky({ x: 0, y: 0 }, author, 'yellow', 'Слева');
    const middle = session.board.addSticky({ x: 200, y: 200 }, author, 'yellow', 'В середине');
    const round = session.startRound({ votesPerPerson: 3, scope: board, anonymous: true, allowMultiple: false }, 0);
    for (const node of [lower, right, left]) expect(session.vote(round.id, anna, node.id)).toEqual({ ok: true });
    for (const node of [middle, right]) expect(session.vote(round.id, boris, node.id)).toEqual({ ok: true });
    expect(session.results(session.rounds.get(round.id)!).map((result) => result.nodeId)).toEqual([right.id, left.id, middle.id, lower.id]);
  });

  it('gives equal vote counts the same place and the next count the place after them', () => {
    expect(rankingPlaces([3, 3, 2, 1])).toEqual([1, 1, 3, 4]);
    expect(rankingPlaces([5, 2, 2, 2, 1])).toEqual([1, 2, 2, 2, 5]);
    expect(rankingPlaces([4])).toEqual([1]);
    expect(rankingPlaces([])).toEqual([]);
  });

  it('lets one object take several votes of a person when the round allows it', () => {
    const session = new SessionDoc(new Y.Doc());
    const [x] = stickies(session, 1);
    const round = session.startRound({ votesPerPerson: 3, scope: board, anonymous: true, allowMultiple: true }, 0);
    for (let i = 0; i < 4; i++) session.vote(round.id, anna, x!.id);
    expect(session.results(session.rounds.get(round.id)!)).toEqual([{ nodeId: x!.id, votes: 3 }]);
  });

  it('counts only objects inside the scoped frames, never the frames themselves', () => {
    const session = new SessionDoc(new Y.Doc());
    const frame = session.board.nodes.create({
      type: 'frame',
      x: -50,
      y: -50,
      width: 500,
      height: 400,
      text: 'Дороги',
      createdAt: new Date().toISOString(),
    });
    const [inside, outside] = [
      session.board.addSticky({ x: 0, y: 0 }, { ...anna, color: '#000000' }, 'yellow', 'внутри'),
      session.board.addSticky({ x: 900, y: 0 }, { ...anna, color: '#000000' }, 'yellow', 'снаружи'),
    ];
    const round = session.startRound({ votesPerPerson: 3, scope: { kind: 'frames', frameIds: [frame.id] }, anonymous: true, allowMultiple: false }, 0);
    expect(session.vote(round.id, anna, inside.id)).toEqual({ ok: true });
    expect(session.vote(round.id, anna, outside.id)).toEqual({ ok: false, reason: 'out-of-scope' });
    expect(session.vote(round.id, anna, frame.id)).toEqual({ ok: false, reason: 'out-of-scope' });
    expect(session.votesOf(session.rounds.get(round.id)!, anna.id).remaining).toBe(2);
  });

  it('keeps anonymous ballots free of names and of the profile id', () => {
    const session = new SessionDoc(new Y.Doc());
    const [x] = stickies(session, 1);
    const round = session.startRound({ votesPerPerson: 1, scope: board, anonymous: true, allowMultiple: false }, 0);
    session.vote(round.id, anna, x!.id);
    const [ballot] = session.ballots.list();
    expect(ballot!.voterName).toBeUndefined();
    expect(JSON.stringify(ballot)).not.toContain(anna.id);
    expect(ballot!.voterKey).toBe(voterKeyFor(round, anna.id));
    expect(voterKeyFor({ ...round, id: newId() }, anna.id)).not.toBe(ballot!.voterKey);
    expect(session.results(session.rounds.get(round.id)!)).toEqual([{ nodeId: x!.id, votes: 1 }]);
  });

  it('does not count a vote twice when two windows of one person vote at the same moment', () => {
    const windows = laggingPair();
    const first = new SessionDoc(windows.a);
    const second = new SessionDoc(windows.b);
    const [x, y, z] = stickies(first, 3);
    const round = first.startRound({ votesPerPerson: 2, scope: board, anonymous: false, allowMultiple: false }, 0);
    windows.sync();

    // both windows see two free votes and spend them before hearing from each other
    expect(first.vote(round.id, anna, x!.id)).toEqual({ ok: true });
    expect(second.vote(round.id, anna, y!.id)).toEqual({ ok: true });
    expect(first.vote(round.id, anna, z!.id)).toEqual({ ok: true });
    expect(second.vote(round.id, anna, x!.id)).toEqual({ ok: true });
    windows.sync();

    const resultsA = first.results(first.rounds.get(round.id)!);
    const resultsB = second.results(second.rounds.get(round.id)!);
    expect(resultsA).toEqual(resultsB);
    expect(resultsA.reduce((sum, result) => sum + result.votes, 0)).toBe(2);
    expect(first.votesOf(round, anna.id).remaining).toBe(0);
  });

  it('does not count the same object twice when two windows vote for it at once', () => {
    const windows = laggingPair();
    const first = new SessionDoc(windows.a);
    const second = new SessionDoc(windows.b);
    const [x, y] = stickies(first, 2);
    const round = first.startRound({ votesPerPerson: 3, scope: board, anonymous: true, allowMultiple: false }, 0);
    windows.sync();
    first.vote(round.id, anna, y!.id);
    windows.sync();
    // slot 1 in one window, and a stale window that re-votes y into slot 1 too
    first.vote(round.id, anna, x!.id);
    second.vote(round.id, anna, x!.id);
    windows.sync();
    expect(second.results(second.rounds.get(round.id)!)).toEqual(first.results(first.rounds.get(round.id)!));
    expect(first.results(first.rounds.get(round.id)!).map((result) => result.votes)).toEqual([1, 1]);
  });

  it('ignores forged ballots: slots beyond the limit, keys that do not match, and other rounds', () => {
    const session = new SessionDoc(new Y.Doc());
    const [x] = stickies(session, 1);
    const round = session.startRound({ votesPerPerson: 1, scope: board, anonymous: false, allowMultiple: true }, 0);
    const forged: Ballot[] = [
      { id: `${round.id}.${anna.id}.0`, roundId: round.id, voterKey: anna.id, slot: 0, nodeId: x!.id },
      { id: `${round.id}.${anna.id}.5`, roundId: round.id, voterKey: anna.id, slot: 5, nodeId: x!.id },
      { id: `${round.id}.${boris.id}.0`, roundId: round.id, voterKey: anna.id, slot: 0, nodeId: x!.id },
      { id: `${newId()}.${anna.id}.0`, roundId: newId(), voterKey: anna.id, slot: 0, nodeId: x!.id },
    ];
    const nodes = new Map(session.board.nodes.list().map((node) => [node.id, node]));
    expect(tallyRound(round, forged, nodes)).toEqual([{ nodeId: x!.id, votes: 1, voters: [] }]);
    const twoSlotsOnOneObject = forged.slice(0, 1).concat({ ...forged[0]!, id: `${round.id}.${anna.id}.1`, slot: 1 });
    expect(tallyRound({ ...round, votesPerPerson: 2, allowMultiple: false }, twoSlotsOnOneObject, nodes)).toEqual([
      { nodeId: x!.id, votes: 1, voters: [] },
    ]);
    expect(tallyRound({ ...round, votesPerPerson: 2, allowMultiple: true }, twoSlotsOnOneObject, nodes)[0]!.votes).toBe(2);
  });

  it('freezes the ranking when the round closes; late ballots and closed-round votes change nothing', () => {
    const [docA, docB] = syncedPair();
    const facilitator = new SessionDoc(docA);
    const participant = new SessionDoc(docB);
    const [x, y] = stickies(facilitator, 2);
    const round = facilitator.startRound({ votesPerPerson: 2, scope: board, anonymous: true, allowMultiple: false }, 0);
    participant.vote(round.id, boris, y!.id);
    facilitator.closeRound(round.id, 10);
    expect(participant.vote(round.id, boris, x!.id)).toEqual({ ok: false, reason: 'round-closed' });
    // a ballot from a window that was offline arrives after the close
    participant.ballots.create({ id: `${round.id}.${voterKeyFor(round, anna.id)}.0`, roundId: round.id, voterKey: voterKeyFor(round, anna.id), slot: 0, nodeId: x!.id });

    const history = roundsHistory(docB);
    expect(history).toHaveLength(1);
    expect(history[0]!.round).toMatchObject({ status: 'closed', closedAt: 10 });
    expect(history[0]!.results).toEqual([{ nodeId: y!.id, votes: 1 }]);
    expect(facilitator.lastClosedRound()?.results).toEqual(history[0]!.results);
  });

  it('opening a round closes the one still open, and history keeps both', () => {
    const session = new SessionDoc(new Y.Doc());
    const first = session.startRound({ votesPerPerson: 1, scope: board, anonymous: true, allowMultiple: false }, 1);
    const second = session.startRound({ votesPerPerson: 2, scope: board, anonymous: true, allowMultiple: false, title: 'Второй' }, 2);
    expect(session.openRound()?.id).toBe(second.id);
    expect(roundsHistory(session.doc).map((entry) => [entry.round.id, entry.round.status])).toEqual([
      [first.id, 'closed'],
      [second.id, 'open'],
    ]);
  });

  it('keeps a reloaded window from voting again: its ballots come back with the doc', () => {
    const server = new Y.Doc();
    const before = new SessionDoc(server);
    const [x, y, z] = stickies(before, 3);
    const round: VotingRound = before.startRound({ votesPerPerson: 3, scope: board, anonymous: true, allowMultiple: false }, 0);
    for (const node of [x, y, z]) before.vote(round.id, anna, node!.id);

    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(server));
    const after = new SessionDoc(reloaded);
    expect(after.votesOf(round, anna.id).remaining).toBe(0);
    expect(after.vote(round.id, anna, x!.id)).toEqual({ ok: false, reason: 'already-voted' });
    expect(after.results(round).reduce((sum, result) => sum + result.votes, 0)).toBe(3);
  });
});
