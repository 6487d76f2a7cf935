import type * as Y from 'yjs';
import type { Id } from '../ids';
import { RecordCollection } from './collection';
import { parentAssignments, type BoardClip, type Point } from './board-geometry';
import { boardEdgeSchema, boardNodeSchema, type BoardEdge, type BoardNode, type StickyColor } from './records';

export const STICKY_SIZE = { width: 180, height: 140 } as const;
export const TEXT_SIZE = { width: 260, height: 60 } as const;
export const FRAME_SIZE = { width: 640, height: 440 } as const;
export const REFERENCE_SIZE = { width: 260, height: 120 } as const;

export const NODE_SIZES = { sticky: STICKY_SIZE, text: TEXT_SIZE, frame: FRAME_SIZE, reference: REFERENCE_SIZE } as const;

export interface Author {
  name: string;
  color: string;
  /** Profile id, so the author keeps seeing their private stickies. */
  id?: Id;
}

/** One board's doc: the canvas nodes and edges. Session state joins it later. */
export class BoardDoc {
  readonly nodes;
  readonly edges;

  constructor(
    readonly doc: Y.Doc,
    /** Transaction origin of this window's edits (what its undo manager tracks). */
    readonly origin: unknown = null,
  ) {
    this.nodes = new RecordCollection('boardNodes', doc.getMap<Y.Map<unknown>>('nodes'), boardNodeSchema, origin);
    this.edges = new RecordCollection('boardEdges', doc.getMap<Y.Map<unknown>>('edges'), boardEdgeSchema, origin);
  }

  addSticky(
    at: { x: number; y: number },
    author: Author,
    color: StickyColor = 'yellow',
    text = '',
    options: { privateUntilReveal?: boolean } = {},
  ): BoardNode {
    return this.nodes.create({
      type: 'sticky',
      x: Math.round(at.x),
      y: Math.round(at.y),
      ...STICKY_SIZE,
      text,
      color,
      authorName: author.name,
      authorColor: author.color,
      ...(author.id ? { authorId: author.id } : {}),
      ...(options.privateUntilReveal ? { privateUntilReveal: true } : {}),
      createdAt: new Date().toISOString(),
    });
  }

  /** A text block, frame or reference card with its default size at `at` (top-left). */
  addNode(
    type: BoardNode['type'],
    at: Point,
    author: Author,
    fields: Partial<Pick<BoardNode, 'text' | 'color' | 'ref' | 'width' | 'height' | 'privateUntilReveal'>> = {},
  ): BoardNode {
    let node: BoardNode | undefined;
    this.doc.transact(() => {
      node = this.nodes.create({
        type,
        x: Math.round(at.x),
        y: Math.round(at.y),
        ...NODE_SIZES[type],
        text: '',
        authorName: author.name,
        authorColor: author.color,
        ...(author.id ? { authorId: author.id } : {}),
        createdAt: new Date().toISOString(),
        ...fields,
      });
      this.reassignParents();
    }, this.origin);
    return node!;
  }

  moveNode(id: Id, to: { x: number; y: number }): void {
    this.moveNodes(new Map([[id, to]]));
  }

  /** Moves nodes as one undoable step and re-records which frame each node now sits in. */
  moveNodes(positions: ReadonlyMap<Id, Point>): void {
    if (positions.size === 0) return;
    this.doc.transact(() => {
      for (const [id, to] of positions) {
        if (this.nodes.has(id)) this.nodes.update(id, { x: Math.round(to.x), y: Math.round(to.y) });
      }
      this.reassignParents();
    }, this.origin);
  }

  resizeNode(id: Id, rect: { x: number; y: number; width: number; height: number }): void {
    this.doc.transact(() => {
      this.nodes.update(id, {
        x: Math.round(rect.x),
        y: Math.round(rect.y),
        width: Math.round(rect.width),
        height: Math.round(rect.height),
      });
      this.reassignParents();
    }, this.origin);
  }

  /** Adds a pasted or duplicated clip (already given fresh ids) as one undoable step. */
  insertClip(clip: BoardClip): void {
    this.doc.transact(() => {
      for (const node of clip.nodes) this.nodes.create(node);
      for (const edge of clip.edges) this.edges.create(edge);
      this.reassignParents();
    }, this.origin);
  }

  /** A connector from `source` to `target`; connecting a node to itself is refused. */
  connect(source: Id, target: Id, fields: Partial<Pick<BoardEdge, 'label' | 'arrow'>> = {}): BoardEdge | undefined {
    if (source === target || !this.nodes.has(source) || !this.nodes.has(target)) return undefined;
    return this.edges.create({ source, target, arrow: true, ...fields });
  }

  /** Keeps each node's parentId equal to the innermost frame that geometrically holds it. */
  private reassignParents(): void {
    const nodes = this.nodes.list();
    const parents = parentAssignments(nodes);
    for (const node of nodes) {
      const parentId = parents.get(node.id);
      if (node.parentId !== parentId) this.nodes.update(node.id, { parentId });
    }
  }

  /** Deletes nodes and every edge that touches them, as one undoable step. */
  deleteNodes(ids: Id[]): void {
    const doomed = new Set(ids);
    this.doc.transact(() => {
      for (const edge of this.edges.list()) {
        if (doomed.has(edge.source) || doomed.has(edge.target)) this.edges.delete(edge.id);
      }
      for (const id of doomed) this.nodes.delete(id);
    }, this.origin);
  }
}
