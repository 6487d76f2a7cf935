import { createContext, useCallback, useContext, useSyncExternalStore, type ComponentType, type MouseEvent } from 'react';
import type { Id } from '../../../shared/ids';
import type { boardEdgeSchema, boardNodeSchema, BoardDoc, BoardEdge, BoardNode, WorkspaceIndex } from '../../../shared/model';
import type { RecordStore, Signal } from './record-store';

/**
 * What other features plug into the canvas (session: votes, private writing, locks, roles).
 * Every field is optional; the canvas works without any.
 */
/** What a node's corner shows when the overview canvas draws the node (zoomed out, it has no DOM). */
export interface CanvasBadge {
  /** Votes on the node; 0 for none. */
  count: number;
  /** The count is this window's own votes in an open round (drawn as dots, like the DOM badge). */
  mine: boolean;
  locked: boolean;
}

/** The canvas's side of NodeBadges: the badges by node, and a signal when they change. */
export interface CanvasBadgeSource {
  subscribe(listener: () => void): () => void;
  entries(): Iterable<[Id, CanvasBadge]>;
}

export interface BoardExtensions {
  /** Rendered inside every node's corner: vote badges, lock marks. Keep it memoised. */
  NodeBadges?: ComponentType<{ node: BoardNode }>;
  /** The same badges for the overview canvas, which draws nodes that have no DOM. Keep it stable. */
  canvasBadges?: CanvasBadgeSource;
  /** Nodes this window must not show (private writing before reveal). */
  hiddenNodeIds?: ReadonlySet<Id>;
  /** Nodes this window may not move, resize, edit or delete (facilitator locks). */
  lockedNodeIds?: ReadonlySet<Id>;
  /** Viewer role: nothing on the board can be changed from this window. */
  readOnly?: boolean;
  /** A voting round is open: clicks vote, so text is not edited and node chrome stays hidden. */
  voting?: boolean;
  /** Private writing: new stickies and text blocks stay visible only to their author until revealed. */
  privateWriting?: boolean;
  /** Called on a click on a node before the canvas handles it; return true to consume it (voting). */
  onNodeClick?: (node: BoardNode, event: MouseEvent) => boolean;
}

export interface BoardUi {
  board: BoardDoc;
  nodes: RecordStore<typeof boardNodeSchema>;
  edges: RecordStore<typeof boardEdgeSchema>;
  /** The workspace index, for reference cards; absent when the board is shown alone. */
  index: WorkspaceIndex | null;
  /** The node or edge whose text is being edited in this window, if any. */
  editing: Signal<Id | null>;
  extensions: BoardExtensions;
  author: { name: string; color: string; id: Id };
  /** Runs a board change and shows a translated error if it throws. */
  safely(action: () => void): void;
}

export const BoardContext = createContext<BoardUi | null>(null);

export function useBoardUi(): BoardUi {
  const value = useContext(BoardContext);
  if (!value) throw new Error('useBoardUi outside BoardContext');
  return value;
}

/** The one node record a node component shows; re-renders only when that record changes. */
export function useBoardNode(id: Id): BoardNode | undefined {
  const { nodes } = useBoardUi();
  const subscribe = useCallback((listener: () => void) => nodes.subscribe(id, listener), [nodes, id]);
  return useSyncExternalStore(subscribe, () => nodes.get(id));
}

export function useBoardEdge(id: Id): BoardEdge | undefined {
  const { edges } = useBoardUi();
  const subscribe = useCallback((listener: () => void) => edges.subscribe(id, listener), [edges, id]);
  return useSyncExternalStore(subscribe, () => edges.get(id));
}

/** Whether `id` is being edited here; only the nodes entering or leaving edit mode re-render. */
export function useIsEditing(id: Id): boolean {
  const { editing } = useBoardUi();
  return useSyncExternalStore(editing.subscribe, () => editing.get() === id);
}

/** Whether this window may change the node (not read-only, not locked by the facilitator). */
export function useCanEdit(id: Id): boolean {
  const { extensions } = useBoardUi();
  return !extensions.readOnly && !extensions.voting && !extensions.lockedNodeIds?.has(id);
}
