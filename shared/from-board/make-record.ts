import type { Id } from '../ids';
import type { BoardDoc } from '../model/board-doc';
import { findFreeSpot } from '../model/layout';
import type { BoardNode, Problem, ProjectCard } from '../model/records';
import type { WorkspaceIndex } from '../model/workspace-index';
import { boundsOf } from '../model/board-geometry';
import { byReadingOrder, frameOfEachSticky } from './clusters';

export type RecordKind = 'problem' | 'project';

/** The prefilled form for "Сделать проблемой / проектом": what the user reviews before creating. */
export interface RecordDraft {
  title: string;
  description: string;
  /** The frames and stickies the record comes from. */
  nodeIds: Id[];
  authors: string[];
  votes: number;
}

export const REFERENCE_CARD_SIZE = { width: 280, height: 140 } as const;
const TITLE_LIMIT = 200;

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? ''
  );
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

/**
 * The draft for the selected stickies and frames: a selected frame brings the stickies
 * inside it. Title: the first frame's title, else the first sticky's first line;
 * description: the stickies' texts, one per line; votes: the sum over the stickies
 * (and frames) in `votesByNode`. Null when the selection holds no frame or sticky.
 */
export function draftFromSelection(
  nodes: BoardNode[],
  selectedIds: Iterable<Id>,
  votesByNode: ReadonlyMap<Id, number> = new Map(),
): RecordDraft | null {
  const selected = new Set(selectedIds);
  const frames = nodes.filter((node) => node.type === 'frame' && selected.has(node.id)).sort(byReadingOrder);
  const frameIds = new Set(frames.map((frame) => frame.id));
  const frameOf = frameOfEachSticky(nodes);
  const stickies = nodes
    .filter((node) => node.type === 'sticky' && (selected.has(node.id) || frameIds.has(frameOf.get(node.id) ?? '')))
    .sort(byReadingOrder);
  if (frames.length === 0 && stickies.length === 0) return null;

  const texts = stickies.map((sticky) => sticky.text.trim()).filter(Boolean);
  const title = firstLine(frames[0]?.text ?? '') || firstLine(texts[0] ?? '');
  const nodeIds = [...frames, ...stickies].map((node) => node.id);
  const authors = [...new Set(stickies.map((sticky) => sticky.authorName?.trim()).filter((name): name is string => !!name))];
  return {
    title: clip(title, TITLE_LIMIT),
    description: clip(texts.map((text) => `— ${text.replace(/\s*\n\s*/g, ' ')}`).join('\n'), 20_000),
    nodeIds,
    authors: authors.slice(0, 200),
    votes: nodeIds.reduce((sum, id) => sum + (votesByNode.get(id) ?? 0), 0),
  };
}

type Box = { x: number; y: number; width: number; height: number };

/** Whether `box` lies partly inside and partly outside `frame`. */
function crossesEdge(box: Box, frame: Box): boolean {
  const overlaps = box.x < frame.x + frame.width && frame.x < box.x + box.width && box.y < frame.y + frame.height && frame.y < box.y + box.height;
  const within = box.x >= frame.x && box.y >= frame.y && box.x + box.width <= frame.x + frame.width && box.y + box.height <= frame.y + frame.height;
  return overlaps && !within;
}

export type CreatedFromBoard =
  | { kind: 'problem'; record: Problem; cardId: Id }
  | { kind: 'project'; record: ProjectCard; cardId: Id };

/**
 * Creates the problem or project in the registry with its provenance (board, nodes,
 * authors, votes) and puts a reference card linked to it on the board, beside the
 * source. The record is written first, so a card never points at nothing.
 */
export function createRecordFromBoard(
  index: WorkspaceIndex,
  board: BoardDoc,
  boardId: Id,
  kind: RecordKind,
  draft: RecordDraft,
  now = new Date(),
): CreatedFromBoard {
  const createdAt = now.toISOString();
  const provenance = { boardId, nodeIds: draft.nodeIds, authors: draft.authors, votes: draft.votes };
  const title = draft.title.trim();
  const description = draft.description.trim();
  const created =
    kind === 'problem'
      ? ({
          kind,
          record: index.problems.create({
            title,
            description,
            category: 'other',
            kind: 'unclassified',
            status: 'new',
            sources: [{ source: 'session', count: Math.max(1, draft.nodeIds.length) }],
            signalCount: Math.max(1, draft.nodeIds.length),
            provenance,
            createdAt,
          }),
        } as const)
      : ({
          kind,
          record: index.projects.create({ title, goal: description, status: 'draft', provenance, createdAt }),
        } as const);

  const all = board.nodes.list();
  const sources = all.filter((node) => draft.nodeIds.includes(node.id));
  const around = boundsOf(sources) ?? boundsOf(all) ?? { x: 0, y: 0, width: 0, height: 0 };
  // The card may sit inside the frame that holds the source stickies, never across another frame.
  const frameOf = frameOfEachSticky(all);
  const homeFrames = new Set(sources.map((node) => frameOf.get(node.id)).filter((id): id is Id => !!id && !draft.nodeIds.includes(id)));
  const centre = { x: around.x + around.width + 40 + REFERENCE_CARD_SIZE.width / 2, y: around.y + REFERENCE_CARD_SIZE.height / 2 };
  const inside = findFreeSpot(
    all.filter((node) => !homeFrames.has(node.id)),
    centre,
    REFERENCE_CARD_SIZE,
  );
  const straddles = all.some((node) => homeFrames.has(node.id) && crossesEdge({ ...inside, ...REFERENCE_CARD_SIZE }, node));
  const spot = straddles ? findFreeSpot(all, centre, REFERENCE_CARD_SIZE) : inside;
  const card = board.nodes.create({
    type: 'reference',
    ...spot,
    ...REFERENCE_CARD_SIZE,
    text: title,
    color: kind === 'problem' ? 'pink' : 'green',
    ref: { kind, id: created.record.id },
    createdAt,
  });
  return { ...created, cardId: card.id };
}
