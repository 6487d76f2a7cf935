import type { Id } from '../../ids';
import type { BoardEdge, BoardNode, Problem, ProjectCard, StickyColor } from '../../model/records';
import { byReadingOrder, clustersOf } from '../../from-board/clusters';
import { isVisibleTo } from '../../model/session';
import { rankingPlaces } from '../../model/session-voting';
import { boundsOf, rectBoundaryPoint } from '../../model/board-geometry';

// The session summary as plain data: what the head reads, built from the board doc and
// the index doc. The DOCX and PDF renderers only lay this out.

/** An agenda stage as the session keeps it (times in ms since the epoch). */
export interface SummaryStageInput {
  title: string;
  durationMs: number;
  order?: number;
  startedAt?: number;
  endedAt?: number;
}

/** A voting round with its frozen ranking, as the session keeps it. */
export interface SummaryRoundInput {
  round: { title?: string; status: 'open' | 'closed'; openedAt: number; closedAt?: number };
  results: Array<{ nodeId: Id; votes: number }>;
}

export interface SessionSummaryInput {
  boardId: Id;
  boardTitle: string;
  workspaceName: string;
  nodes: BoardNode[];
  edges: BoardEdge[];
  problems: Problem[];
  projects: ProjectCard[];
  agenda?: SummaryStageInput[];
  rounds?: SummaryRoundInput[];
  /** Names from the presence list, joined with the stickies' authors. */
  presentNames?: string[];
  generatedAt: Date;
}

export interface SummarySticky {
  id: Id;
  text: string;
  author: string | null;
  votes: number;
}

export interface SummaryCluster {
  /** Null for the stickies that sit outside every frame. */
  title: string | null;
  votes: number;
  stickies: SummarySticky[];
}

export interface SummaryStage {
  title: string;
  plannedMinutes: number;
  startedAt: Date | null;
  endedAt: Date | null;
  actualMinutes: number | null;
}

export interface SummaryRanking {
  title: string;
  closedAt: Date | null;
  entries: Array<{ place: number; text: string; cluster: string | null; votes: number }>;
}

export interface SummaryDecision {
  kind: 'problem' | 'project';
  title: string;
  description: string;
  votes: number | null;
  authors: string[];
}

export interface PictureItem {
  kind: 'frame' | 'sticky' | 'text' | 'reference';
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
  color: StickyColor;
  votes: number;
  /** What a reference card shows: a problem or a project of the registry. */
  refKind: 'problem' | 'project' | null;
}

export interface BoardPicture {
  width: number;
  height: number;
  /** Frames first, so they are drawn under what they hold. */
  items: PictureItem[];
  arrows: Array<{ from: { x: number; y: number }; to: { x: number; y: number }; label: string | null }>;
}

export interface SessionSummary {
  title: string;
  workspaceName: string;
  /** The day of the session: the first stage's start, else the export time. */
  date: Date;
  generatedAt: Date;
  participants: string[];
  agenda: SummaryStage[];
  clusters: SummaryCluster[];
  rankings: SummaryRanking[];
  decisions: SummaryDecision[];
  picture: BoardPicture;
}

const MINUTE = 60_000;

function collator(): Intl.Collator {
  return new Intl.Collator('ru');
}

/** Votes per node summed over the closed rounds (an open round's count is not a result yet). */
export function votesByNode(rounds: SummaryRoundInput[]): Map<Id, number> {
  const votes = new Map<Id, number>();
  for (const { round, results } of rounds) {
    if (round.status !== 'closed') continue;
    for (const result of results) votes.set(result.nodeId, (votes.get(result.nodeId) ?? 0) + result.votes);
  }
  return votes;
}

function stageOf(stage: SummaryStageInput): SummaryStage {
  const started = stage.startedAt !== undefined ? new Date(stage.startedAt) : null;
  const ended = stage.endedAt !== undefined ? new Date(stage.endedAt) : null;
  return {
    title: stage.title,
    plannedMinutes: Math.round(stage.durationMs / MINUTE),
    startedAt: started,
    endedAt: ended,
    actualMinutes: started && ended ? Math.max(0, Math.round((ended.getTime() - started.getTime()) / MINUTE)) : null,
  };
}

function pictureOf(nodes: BoardNode[], edges: BoardEdge[], votes: ReadonlyMap<Id, number>): BoardPicture {
  const bounds = boundsOf(nodes) ?? { x: 0, y: 0, width: 0, height: 0 };
  const items = [...nodes]
    .sort((a, b) => Number(b.type === 'frame') - Number(a.type === 'frame') || (b.type === 'frame' ? b.width * b.height - a.width * a.height : 0))
    .map((node) => ({
      kind: node.type,
      x: node.x - bounds.x,
      y: node.y - bounds.y,
      width: node.width,
      height: node.height,
      text: node.text,
      color: node.color,
      votes: votes.get(node.id) ?? 0,
      refKind: node.type === 'reference' ? (node.ref?.kind ?? null) : null,
    }));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const centre = (node: BoardNode) => ({ x: node.x - bounds.x + node.width / 2, y: node.y - bounds.y + node.height / 2 });
  // arrows run from edge to edge, not centre to centre
  const exitPoint = (node: BoardNode, towards: { x: number; y: number }) =>
    rectBoundaryPoint({ x: node.x - bounds.x, y: node.y - bounds.y, width: node.width, height: node.height }, towards);
  const arrows = edges.flatMap((edge) => {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) return [];
    return [{ from: exitPoint(source, centre(target)), to: exitPoint(target, centre(source)), label: edge.label ?? null }];
  });
  return { width: bounds.width, height: bounds.height, items, arrows };
}

/** The summary of one board's session. */
export function buildSessionSummary(input: SessionSummaryInput): SessionSummary {
  const rounds = input.rounds ?? [];
  const votes = votesByNode(rounds);
  // Stickies still hidden in a private stage are nobody's to publish yet.
  const nodes = input.nodes.filter((node) => isVisibleTo(node, undefined));
  const byId = new Map(nodes.map((node) => [node.id, node]));

  const { clusters, loose } = clustersOf(nodes);
  const clusterTitleOf = new Map<Id, string | null>();
  const stickyOf = (node: BoardNode): SummarySticky => ({
    id: node.id,
    text: node.text.trim(),
    author: node.authorName?.trim() || null,
    votes: votes.get(node.id) ?? 0,
  });
  const summaryClusters: SummaryCluster[] = clusters.map(({ frame, stickies }) => {
    const title = frame.text.trim() || '—';
    clusterTitleOf.set(frame.id, title);
    for (const sticky of stickies) clusterTitleOf.set(sticky.id, title);
    const listed = stickies.filter((sticky) => sticky.text.trim()).map(stickyOf);
    return { title, votes: listed.reduce((sum, s) => sum + s.votes, votes.get(frame.id) ?? 0), stickies: listed };
  });
  const looseListed = loose.filter((sticky) => sticky.text.trim()).map(stickyOf);
  if (looseListed.length > 0) {
    summaryClusters.push({ title: null, votes: looseListed.reduce((sum, s) => sum + s.votes, 0), stickies: looseListed });
  }

  const rankings: SummaryRanking[] = rounds
    .filter(({ round }) => round.status === 'closed')
    .sort((a, b) => a.round.openedAt - b.round.openedAt)
    .map(({ round, results }, i) => {
      const ranked = results
        .filter((result) => result.votes > 0 && byId.has(result.nodeId))
        .sort((a, b) => b.votes - a.votes || byReadingOrder(byId.get(a.nodeId)!, byId.get(b.nodeId)!));
      const places = rankingPlaces(ranked.map((result) => result.votes));
      return {
        title: round.title?.trim() || String(i + 1),
        closedAt: round.closedAt !== undefined ? new Date(round.closedAt) : null,
        entries: ranked.map((result, position) => {
          const node = byId.get(result.nodeId)!;
          return { place: places[position]!, text: node.text.trim(), cluster: clusterTitleOf.get(node.id) ?? null, votes: result.votes };
        }),
      };
    });

  const fromThisBoard = <R extends { provenance?: { boardId?: Id } | undefined; createdAt: string }>(records: R[]) =>
    records.filter((record) => record.provenance?.boardId === input.boardId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const decisions: SummaryDecision[] = [
    ...fromThisBoard(input.problems).map((problem) => ({
      kind: 'problem' as const,
      title: problem.title,
      description: problem.description,
      votes: problem.provenance?.votes ?? null,
      authors: problem.provenance?.authors ?? [],
    })),
    ...fromThisBoard(input.projects).map((project) => ({
      kind: 'project' as const,
      title: project.title,
      description: project.goal,
      votes: project.provenance?.votes ?? null,
      authors: project.provenance?.authors ?? [],
    })),
  ];

  const agenda = [...(input.agenda ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map(stageOf);
  const firstStart = agenda.map((stage) => stage.startedAt).find((date) => date !== null);
  const names = new Set<string>();
  for (const node of nodes) if (node.type === 'sticky' && node.authorName?.trim()) names.add(node.authorName.trim());
  for (const name of input.presentNames ?? []) if (name.trim()) names.add(name.trim());

  return {
    title: input.boardTitle,
    workspaceName: input.workspaceName,
    date: firstStart ?? input.generatedAt,
    generatedAt: input.generatedAt,
    participants: [...names].sort(collator().compare),
    agenda,
    clusters: summaryClusters,
    rankings,
    decisions,
    picture: pictureOf(nodes, input.edges.filter((edge) => byId.has(edge.source) && byId.has(edge.target)), votes),
  };
}
