import type * as Y from 'yjs';
import type { Id } from '../ids';
import { RecordCollection } from './collection';
import { boardEdgeSchema, boardNodeSchema, type BoardNode, type StickyColor } from './records';

export const STICKY_SIZE = { width: 180, height: 140 } as const;

export interface Author {
  name: string;
  color: string;
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

  addSticky(at: { x: number; y: number }, author: Author, color: StickyColor = 'yellow', text = ''): BoardNode {
    return this.nodes.create({
      type: 'sticky',
      x: Math.round(at.x),
      y: Math.round(at.y),
      ...STICKY_SIZE,
      text,
      color,
      authorName: author.name,
      authorColor: author.color,
      createdAt: new Date().toISOString(),
    });
  }

  moveNode(id: Id, to: { x: number; y: number }): void {
    this.nodes.update(id, { x: Math.round(to.x), y: Math.round(to.y) });
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
