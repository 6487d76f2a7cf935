import type * as Y from 'yjs';
import type { Id } from '../ids';
import { BoardDoc } from './board-doc';
import { RecordCollection } from './collection';
import type { BoardNode } from './records';
import { agendaStageSchema, nextStageId, sortStages, stageTransition, type AgendaStage } from './session-agenda';
import { newTimer, timerSchema, type SessionTimer } from './session-timer';
import {
  ballotSchema,
  ballotsOf,
  planUnvote,
  planVote,
  remainingVotes,
  tallyRound,
  voterKeyFor,
  votingRoundSchema,
  type VoteRefusal,
  type VoteResult,
  type VotingRound,
  type VotingRoundSettings,
} from './session-voting';

// Session state of a board lives in the board doc beside its nodes, so whoever opens the
// board (late, or after a reload) sees the same stage, timer and voting round:
//   agenda       Y.Map of stage records
//   session      Y.Map: currentStageId, timer, agendaLocked
//   votingRounds Y.Map of round records
//   ballots      Y.Map of ballot records keyed <round>.<voter>.<slot>

export interface Agenda {
  stages: AgendaStage[];
  currentStageId: Id | null;
  locked: boolean;
}

export interface RoundWithResults {
  round: VotingRound;
  results: VoteResult[];
}

export interface Voter {
  /** Profile id. */
  id: Id;
  name: string;
}

export class SessionDoc {
  readonly board: BoardDoc;
  readonly stages;
  readonly rounds;
  readonly ballots;
  private readonly state: Y.Map<unknown>;

  constructor(
    readonly doc: Y.Doc,
    private readonly origin: unknown = null,
  ) {
    this.board = new BoardDoc(doc, origin);
    this.stages = new RecordCollection('agendaStages', doc.getMap<Y.Map<unknown>>('agenda'), agendaStageSchema, origin);
    this.rounds = new RecordCollection('votingRounds', doc.getMap<Y.Map<unknown>>('votingRounds'), votingRoundSchema, origin);
    this.ballots = new RecordCollection('ballots', doc.getMap<Y.Map<unknown>>('ballots'), ballotSchema, origin);
    this.state = doc.getMap('session');
  }

  /** The shared types session state lives in (for observers and undo scopes). */
  get sharedTypes(): Y.Map<unknown>[] {
    return [this.doc.getMap('agenda'), this.state, this.doc.getMap('votingRounds'), this.doc.getMap('ballots')];
  }

  observe(listener: () => void): () => void {
    const types = this.sharedTypes;
    for (const type of types) type.observeDeep(listener);
    return () => {
      for (const type of types) type.unobserveDeep(listener);
    };
  }

  private transact(fn: () => void): void {
    this.doc.transact(fn, this.origin);
  }

  // ---- agenda ----

  readAgenda(): Agenda {
    const current = this.state.get('currentStageId');
    const stages = sortStages(this.stages.list());
    return {
      stages,
      currentStageId: typeof current === 'string' && stages.some((stage) => stage.id === current) ? current : null,
      locked: this.state.get('agendaLocked') === true,
    };
  }

  currentStage(): AgendaStage | null {
    const agenda = this.readAgenda();
    return agenda.stages.find((stage) => stage.id === agenda.currentStageId) ?? null;
  }

  /** Replaces the agenda (e.g. from a template); the session goes back to "not started". */
  setAgenda(stages: { title: string; durationMs: number; private?: boolean }[]): AgendaStage[] {
    let created: AgendaStage[] = [];
    this.transact(() => {
      for (const id of this.stages.ids()) this.stages.delete(id);
      created = stages.map((stage, order) => this.stages.create({ ...stage, private: stage.private ?? false, order }));
      this.state.delete('currentStageId');
      this.state.delete('timer');
    });
    return created;
  }

  addStage(stage: { title: string; durationMs: number; private?: boolean }): AgendaStage {
    const last = this.readAgenda().stages.at(-1);
    return this.stages.create({ ...stage, private: stage.private ?? false, order: (last?.order ?? -1) + 1 });
  }

  updateStage(id: Id, patch: Partial<Pick<AgendaStage, 'title' | 'durationMs' | 'private'>>): void {
    this.stages.update(id, patch);
  }

  removeStage(id: Id): void {
    this.transact(() => {
      this.stages.delete(id);
      if (this.state.get('currentStageId') === id) this.state.delete('currentStageId');
    });
  }

  /** Swaps a stage with its neighbour (`-1` up, `1` down). */
  moveStage(id: Id, direction: -1 | 1): void {
    const stages = this.readAgenda().stages;
    const index = stages.findIndex((stage) => stage.id === id);
    const other = stages[index + direction];
    const stage = stages[index];
    if (!stage || !other) return;
    this.transact(() => {
      this.stages.update(stage.id, { order: other.order });
      this.stages.update(other.id, { order: stage.order });
    });
  }

  setAgendaLocked(locked: boolean): void {
    this.transact(() => this.state.set('agendaLocked', locked));
  }

  /** Moves the session to a stage (null ends it), stamping actual times and loading the stage's timebox into the timer. */
  goToStage(targetId: Id | null, now: number): void {
    const agenda = this.readAgenda();
    const transition = stageTransition(agenda.stages, agenda.currentStageId, targetId, now);
    this.transact(() => {
      for (const { id, patch } of transition.patches) this.stages.update(id, patch);
      if (transition.currentId) this.state.set('currentStageId', transition.currentId);
      else this.state.delete('currentStageId');
      const target = agenda.stages.find((stage) => stage.id === transition.currentId);
      if (target && transition.currentId !== agenda.currentStageId) this.state.set('timer', newTimer(target.durationMs));
    });
  }

  goToNextStage(now: number): void {
    const agenda = this.readAgenda();
    this.goToStage(nextStageId(agenda.stages, agenda.currentStageId), now);
  }

  // ---- timer ----

  timer(): SessionTimer | null {
    const parsed = timerSchema.safeParse(this.state.get('timer'));
    return parsed.success ? parsed.data : null;
  }

  setTimer(timer: SessionTimer): void {
    const valid = timerSchema.parse(timer);
    this.transact(() => this.state.set('timer', valid));
  }

  updateTimer(change: (timer: SessionTimer) => SessionTimer, fallbackDurationMs: number): void {
    this.setTimer(change(this.timer() ?? newTimer(fallbackDurationMs)));
  }

  // ---- private writing ----

  isPrivateStage(): boolean {
    return this.currentStage()?.private === true;
  }

  hiddenCount(): number {
    return this.board.nodes.list().filter((node) => node.privateUntilReveal).length;
  }

  /** Shows every private sticky to everyone, in one transaction. */
  revealPrivate(): number {
    const hidden = this.board.nodes.list().filter((node) => node.privateUntilReveal);
    this.transact(() => {
      for (const node of hidden) this.board.nodes.update(node.id, { privateUntilReveal: undefined });
    });
    return hidden.length;
  }

  // ---- facilitator locks ----

  /** Locks or unlocks board objects (frames, usually) in one transaction. */
  setLocked(ids: Id[], locked: boolean): void {
    this.transact(() => {
      for (const id of ids) if (this.board.nodes.has(id)) this.board.nodes.update(id, { locked: locked ? true : undefined });
    });
  }

  // ---- voting ----

  private nodeMap(): Map<Id, BoardNode> {
    return new Map(this.board.nodes.list().map((node) => [node.id, node]));
  }

  openRound(): VotingRound | null {
    return this.rounds.list().find((round) => round.status === 'open') ?? null;
  }

  /** Opens a round (closing one still open first). */
  startRound(settings: VotingRoundSettings, now: number): VotingRound {
    let round: VotingRound | undefined;
    this.transact(() => {
      const open = this.openRound();
      if (open) this.closeRound(open.id, now);
      const stageId = this.readAgenda().currentStageId;
      round = this.rounds.create({
        title: settings.title ?? '',
        votesPerPerson: settings.votesPerPerson,
        scope: settings.scope,
        anonymous: settings.anonymous,
        allowMultiple: settings.allowMultiple,
        status: 'open',
        openedAt: now,
        ...(stageId ? { stageId } : {}),
      });
    });
    return round!;
  }

  /** Closes a round and freezes its ranking into the round record. */
  closeRound(roundId: Id, now: number): void {
    const round = this.rounds.get(roundId);
    if (!round || round.status === 'closed') return;
    const results = tallyRound(round, this.ballots.list(), this.nodeMap());
    this.rounds.update(roundId, { status: 'closed', closedAt: now, results });
  }

  results(round: VotingRound): VoteResult[] {
    return tallyRound(round, this.ballots.list(), this.nodeMap());
  }

  vote(roundId: Id, voter: Voter, nodeId: Id): { ok: true } | { ok: false; reason: VoteRefusal } {
    const round = this.rounds.get(roundId);
    if (!round) return { ok: false, reason: 'round-closed' };
    const plan = planVote(round, voterKeyFor(round, voter.id), nodeId, this.ballots.list(), this.nodeMap());
    if (!plan.ok) return plan;
    this.ballots.create({ ...plan.ballot, ...(round.anonymous ? {} : { voterName: voter.name }) });
    return { ok: true };
  }

  unvote(roundId: Id, voter: Voter, nodeId: Id): boolean {
    const round = this.rounds.get(roundId);
    if (!round) return false;
    const ballot = planUnvote(round, voterKeyFor(round, voter.id), nodeId, this.ballots.list(), this.nodeMap());
    return ballot !== null && this.ballots.delete(ballot);
  }

  /** Votes a voter has cast in a round, per object, and how many they have left. */
  votesOf(round: VotingRound, voterId: Id): { perNode: Map<Id, number>; remaining: number } {
    const key = voterKeyFor(round, voterId);
    const ballots = this.ballots.list();
    const nodes = this.nodeMap();
    const perNode = new Map<Id, number>();
    for (const ballot of ballotsOf(round, key, ballots, nodes)) perNode.set(ballot.nodeId, (perNode.get(ballot.nodeId) ?? 0) + 1);
    return { perNode, remaining: remainingVotes(round, key, ballots, nodes) };
  }

  /** Every round, oldest first, with its ranking (frozen for closed rounds). */
  roundsHistory(): RoundWithResults[] {
    const rounds = this.rounds.list();
    // Closed rounds carry frozen results: only an open round needs the nodes and ballots.
    const live = rounds.some((round) => round.status === 'open' || !round.results);
    const nodes = live ? this.nodeMap() : new Map<Id, BoardNode>();
    const ballots = live ? this.ballots.list() : [];
    return rounds
      .sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id))
      .map((round) => ({ round, results: tallyRound(round, ballots, nodes) }));
  }

  /** The latest closed round's results, shown as badges on the board. */
  lastClosedRound(): RoundWithResults | null {
    return (
      this.roundsHistory()
        .filter((entry) => entry.round.status === 'closed')
        .at(-1) ?? null
    );
  }
}

/** The agenda with actual start/end times, for the summary export. */
export function readAgenda(doc: Y.Doc): Agenda {
  return new SessionDoc(doc).readAgenda();
}

/** All voting rounds of a board with their rankings, oldest first, for the summary export. */
export function roundsHistory(doc: Y.Doc): RoundWithResults[] {
  return new SessionDoc(doc).roundsHistory();
}

/** Whether a viewer with this profile id sees the node (private stickies show only to their author). */
export function isVisibleTo(node: Pick<BoardNode, 'privateUntilReveal' | 'authorId'>, profileId: Id | undefined): boolean {
  return !node.privateUntilReveal || (profileId !== undefined && node.authorId === profileId);
}
