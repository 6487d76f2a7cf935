import type { Id } from '../ids';
import type { BoardDoc } from '../model/board-doc';
import { boundsOf } from '../model/board-geometry';
import type { BoardEdge, BoardNode, BoardTemplate, TemplateEdge, TemplateNode, TemplateStage } from '../model/records';
import type { WorkspaceIndex } from '../model/workspace-index';

/** What applying a template needs: built-in and saved templates both have these. */
export interface TemplateContent {
  nodes: TemplateNode[];
  edges: TemplateEdge[];
  agenda: TemplateStage[];
}

export interface AppliedTemplate {
  nodeIds: Id[];
  /** The template's default agenda, for the session's agenda if the caller keeps one. */
  agenda: TemplateStage[];
}

/** Space kept between a template placed on a non-empty board and what is already there. */
const CLEARANCE = 200;


/**
 * Puts a template's frames, prompts, example stickies and connectors on the board as
 * one transaction (one undo step). On an empty board it starts at 0,0; otherwise to
 * the right of what is there, so nothing already on the board is covered.
 */
export function applyTemplate(board: BoardDoc, template: TemplateContent, now = new Date()): AppliedTemplate {
  const existing = boundsOf(board.nodes.list());
  const origin = existing ? { x: Math.round(existing.x + existing.width + CLEARANCE), y: Math.round(existing.y) } : { x: 0, y: 0 };
  const createdAt = now.toISOString();
  const nodeIds: Id[] = [];
  board.doc.transact(() => {
    for (const node of template.nodes) {
      const created = board.nodes.create({
        type: node.type,
        x: origin.x + node.x,
        y: origin.y + node.y,
        width: node.width,
        height: node.height,
        text: node.text,
        color: node.color,
        createdAt,
      });
      nodeIds.push(created.id);
    }
    for (const edge of template.edges) {
      const source = nodeIds[edge.from];
      const target = nodeIds[edge.to];
      if (!source || !target || source === target) continue;
      board.edges.create({ source, target, arrow: true, ...(edge.label ? { label: edge.label } : {}) });
    }
  }, board.origin);
  return { nodeIds, agenda: template.agenda.map((stage) => ({ ...stage })) };
}

const templatedTypes = new Set<BoardNode['type']>(['sticky', 'text', 'frame']);

/**
 * A board's frames, text blocks and stickies as template content, moved so the top-left
 * of what is kept sits at 0,0. Reference cards are left out (they point at records of
 * this workspace); authors are dropped; connectors between kept nodes stay.
 */
export function templateFromBoard(nodes: BoardNode[], edges: BoardEdge[], agenda: TemplateStage[] = []): TemplateContent {
  const kept = nodes
    .filter((node) => templatedTypes.has(node.type))
    // frames first, so they sit under their contents when applied
    .sort((a, b) => Number(b.type === 'frame') - Number(a.type === 'frame') || a.y - b.y || a.x - b.x);
  const bounds = boundsOf(kept);
  if (!bounds) return { nodes: [], edges: [], agenda };
  const indexOf = new Map(kept.map((node, i) => [node.id, i]));
  return {
    nodes: kept.map((node) => ({
      type: node.type as TemplateNode['type'],
      x: Math.round(node.x - bounds.x),
      y: Math.round(node.y - bounds.y),
      width: node.width,
      height: node.height,
      text: node.text,
      color: node.color,
    })),
    edges: edges.flatMap((edge) => {
      const from = indexOf.get(edge.source);
      const to = indexOf.get(edge.target);
      return from === undefined || to === undefined ? [] : [{ from, to, ...(edge.label ? { label: edge.label } : {}) }];
    }),
    agenda,
  };
}

export class EmptyTemplateError extends Error {
  constructor() {
    super('A template needs at least one frame, text block or sticky');
    this.name = 'EmptyTemplateError';
  }
}

/** Saves the board as a template in the workspace's `templates` collection. */
export function saveBoardAsTemplate(
  index: WorkspaceIndex,
  board: BoardDoc,
  input: { title: string; description?: string; agenda?: TemplateStage[] },
  now = new Date(),
): BoardTemplate {
  const content = templateFromBoard(board.nodes.list(), board.edges.list(), input.agenda ?? []);
  if (content.nodes.length === 0) throw new EmptyTemplateError();
  return index.templates.create({
    title: input.title,
    description: input.description ?? '',
    ...content,
    createdAt: now.toISOString(),
  });
}
