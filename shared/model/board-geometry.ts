import type { Id } from '../ids';
import type { Rect } from './layout';
import type { BoardEdge, BoardNode } from './records';

// Pure board geometry: frame containment, align, grid, nudge, clone with id remapping.
// Positions are absolute board coordinates; containment is computed from geometry, and
// `parentId` only records the result (the innermost frame holding a node's centre).

type Placed = Pick<BoardNode, 'id' | 'type' | 'x' | 'y' | 'width' | 'height'>;
export type Point = { x: number; y: number };

export function centerOf(rect: Rect): Point {
  return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
}

function containsPoint(rect: Rect, point: Point): boolean {
  return point.x >= rect.x && point.x <= rect.x + rect.width && point.y >= rect.y && point.y <= rect.y + rect.height;
}

function area(rect: Rect): number {
  return rect.width * rect.height;
}

/** The rectangle around all `rects`, or null for none. */
export function boundsOf(rects: Rect[]): Rect | null {
  if (rects.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rects) {
    minX = Math.min(minX, r.x);
    minY = Math.min(minY, r.y);
    maxX = Math.max(maxX, r.x + r.width);
    maxY = Math.max(maxY, r.y + r.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/**
 * The innermost frame holding `node`'s centre: the smallest such frame that is not the
 * node itself and is bigger than the node (a frame can't sit inside a smaller one).
 */
export function innermostFrameOf<N extends Placed>(node: N, nodes: readonly N[]): N | undefined {
  const center = centerOf(node);
  let best: N | undefined;
  for (const candidate of nodes) {
    if (candidate.type !== 'frame' || candidate.id === node.id) continue;
    if (area(candidate) <= area(node)) continue;
    if (!containsPoint(candidate, center)) continue;
    if (!best || area(candidate) < area(best)) best = candidate;
  }
  return best;
}

/** Every node inside `frameId`, directly or through nested frames (not the frame itself). */
export function frameMembers<N extends Placed>(frameId: Id, nodes: readonly N[]): N[] {
  const parentOf = parentAssignments(nodes);
  const childrenOf = new Map<Id, N[]>();
  for (const node of nodes) {
    const parent = parentOf.get(node.id);
    if (!parent) continue;
    const list = childrenOf.get(parent) ?? [];
    list.push(node);
    childrenOf.set(parent, list);
  }
  const members: N[] = [];
  const queue = [frameId];
  const seen = new Set<Id>([frameId]);
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift()!) ?? []) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      members.push(child);
      if (child.type === 'frame') queue.push(child.id);
    }
  }
  return members;
}

/** Node id → id of the innermost frame that holds it (nodes outside every frame are absent). */
export function parentAssignments<N extends Placed>(nodes: readonly N[]): Map<Id, Id> {
  const frames = nodes.filter((node) => node.type === 'frame');
  const result = new Map<Id, Id>();
  if (frames.length === 0) return result;
  for (const node of nodes) {
    const parent = innermostFrameOf(node, frames);
    if (parent) result.set(node.id, parent.id);
  }
  return result;
}

/**
 * Where every node goes when `moved` nodes are dragged by `delta`: the moved nodes, plus
 * everything inside a moved frame (once, even if both a frame and its child were moved).
 */
export function moveWithFrames<N extends Placed>(movedIds: Iterable<Id>, delta: Point, nodes: readonly N[]): Map<Id, Point> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const carried = new Set<Id>();
  for (const id of movedIds) {
    const node = byId.get(id);
    if (!node) continue;
    carried.add(id);
    if (node.type === 'frame') for (const member of frameMembers(id, nodes)) carried.add(member.id);
  }
  const result = new Map<Id, Point>();
  for (const id of carried) {
    const node = byId.get(id)!;
    result.set(id, { x: Math.round(node.x + delta.x), y: Math.round(node.y + delta.y) });
  }
  return result;
}

/** Positions for a layout change (align, grid) with each moved frame's contents carried along. */
export function carryFrameContents<N extends Placed>(positions: ReadonlyMap<Id, Point>, nodes: readonly N[]): Map<Id, Point> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const result = new Map(positions);
  for (const [id, to] of positions) {
    const frame = byId.get(id);
    if (frame?.type !== 'frame') continue;
    const delta = { x: to.x - frame.x, y: to.y - frame.y };
    for (const [memberId, point] of moveWithFrames([id], delta, nodes)) if (!positions.has(memberId)) result.set(memberId, point);
  }
  return result;
}

export const alignments = ['left', 'center', 'right', 'top', 'middle', 'bottom'] as const;
export type Alignment = (typeof alignments)[number];

/** New positions that line the nodes up along one edge or centre line of their bounds. */
export function alignNodes<N extends Placed>(nodes: readonly N[], alignment: Alignment): Map<Id, Point> {
  const bounds = boundsOf([...nodes]);
  const result = new Map<Id, Point>();
  if (!bounds || nodes.length < 2) return result;
  for (const node of nodes) {
    let { x, y } = node;
    if (alignment === 'left') x = bounds.x;
    else if (alignment === 'center') x = bounds.x + (bounds.width - node.width) / 2;
    else if (alignment === 'right') x = bounds.x + bounds.width - node.width;
    else if (alignment === 'top') y = bounds.y;
    else if (alignment === 'middle') y = bounds.y + (bounds.height - node.height) / 2;
    else y = bounds.y + bounds.height - node.height;
    result.set(node.id, { x: Math.round(x), y: Math.round(y) });
  }
  return result;
}

/**
 * Lays the nodes out in a near-square grid from their bounds' top-left corner, in reading
 * order of where they were (rows by y, then x), each cell as big as the largest node.
 */
export function arrangeInGrid<N extends Placed>(nodes: readonly N[], gap = 24, columns?: number): Map<Id, Point> {
  const result = new Map<Id, Point>();
  const bounds = boundsOf([...nodes]);
  if (!bounds) return result;
  const cols = Math.max(1, columns ?? Math.ceil(Math.sqrt(nodes.length)));
  const cellWidth = Math.max(...nodes.map((node) => node.width));
  const cellHeight = Math.max(...nodes.map((node) => node.height));
  const ordered = [...nodes].sort((a, b) => {
    const rowA = Math.floor(a.y / cellHeight);
    const rowB = Math.floor(b.y / cellHeight);
    return rowA - rowB || a.x - b.x || a.y - b.y;
  });
  ordered.forEach((node, index) => {
    const col = index % cols;
    const row = Math.floor(index / cols);
    result.set(node.id, { x: Math.round(bounds.x + col * (cellWidth + gap)), y: Math.round(bounds.y + row * (cellHeight + gap)) });
  });
  return result;
}

export const NUDGE_STEP = 10;
export const NUDGE_STEP_LARGE = 50;
export type NudgeDirection = 'left' | 'right' | 'up' | 'down';

/** The offset one arrow press moves the selection by (Shift for the large step). */
export function nudgeDelta(direction: NudgeDirection, large: boolean): Point {
  const step = large ? NUDGE_STEP_LARGE : NUDGE_STEP;
  if (direction === 'left') return { x: -step, y: 0 };
  if (direction === 'right') return { x: step, y: 0 };
  if (direction === 'up') return { x: 0, y: -step };
  return { x: 0, y: step };
}

/** What a copy holds: nodes (frames with their contents) and the edges between them. */
export interface BoardClip {
  nodes: BoardNode[];
  edges: BoardEdge[];
}

/** The selection as a clip: selected frames bring their members; only edges inside the clip come along. */
export function clipOf(selectedIds: Iterable<Id>, nodes: readonly BoardNode[], edges: readonly BoardEdge[]): BoardClip {
  const picked = new Set<Id>();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const id of selectedIds) {
    const node = byId.get(id);
    if (!node) continue;
    picked.add(id);
    if (node.type === 'frame') for (const member of frameMembers(id, nodes)) picked.add(member.id);
  }
  return {
    nodes: nodes.filter((node) => picked.has(node.id)),
    edges: edges.filter((edge) => picked.has(edge.source) && picked.has(edge.target)),
  };
}

/**
 * A copy of the clip with fresh ids, moved by `offset`: edges follow their remapped ends,
 * parentId points at the copied frame or is dropped, so nothing links back to the originals.
 */
export function remapClip(clip: BoardClip, offset: Point, makeId: () => Id, now: string): BoardClip {
  const ids = new Map<Id, Id>();
  for (const node of clip.nodes) ids.set(node.id, makeId());
  const nodes = clip.nodes.map((node) => {
    const parentId = node.parentId ? ids.get(node.parentId) : undefined;
    return {
      ...node,
      id: ids.get(node.id)!,
      x: Math.round(node.x + offset.x),
      y: Math.round(node.y + offset.y),
      parentId,
      createdAt: now,
    };
  });
  const edges = clip.edges
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
    .map((edge) => ({ ...edge, id: makeId(), source: ids.get(edge.source)!, target: ids.get(edge.target)! }));
  return { nodes, edges };
}

/** The offset that puts the clip's centre on `point`. */
export function offsetToCenter(clip: BoardClip, point: Point): Point {
  const bounds = boundsOf(clip.nodes);
  if (!bounds) return { x: 0, y: 0 };
  const center = centerOf(bounds);
  return { x: Math.round(point.x - center.x), y: Math.round(point.y - center.y) };
}

/**
 * The font size (px) at which `text` fits a box of `width`×`height`, estimated from an
 * average glyph width so no layout is measured (thousands of stickies render per pan).
 */
export function fitFontSize(text: string, width: number, height: number, max = 18, min = 9): number {
  if (!text) return max;
  const lineHeight = 1.35;
  const glyphWidth = 0.56;
  for (let size = max; size > min; size--) {
    const perLine = Math.max(1, Math.floor(width / (size * glyphWidth)));
    let lines = 0;
    for (const paragraph of text.split('\n')) lines += Math.max(1, Math.ceil(paragraph.length / perLine));
    if (lines * size * lineHeight <= height) return size;
  }
  return min;
}

/** Nodes whose text contains `query` (case-insensitive), in reading order. */
export function searchNodes<N extends Placed & { text: string }>(nodes: readonly N[], query: string, extraText?: (node: N) => string): N[] {
  const needle = query.trim().toLocaleLowerCase();
  if (!needle) return [];
  return nodes
    .filter((node) => `${node.text} ${extraText?.(node) ?? ''}`.toLocaleLowerCase().includes(needle))
    .sort((a, b) => a.y - b.y || a.x - b.x);
}

/** Where the line from `rect`'s centre towards `toward` leaves the rect: a connector's end. */
export function rectBoundaryPoint(rect: Rect, toward: Point): Point {
  const center = centerOf(rect);
  const dx = toward.x - center.x;
  const dy = toward.y - center.y;
  if (dx === 0 && dy === 0) return center;
  const scaleX = dx === 0 ? Infinity : rect.width / 2 / Math.abs(dx);
  const scaleY = dy === 0 ? Infinity : rect.height / 2 / Math.abs(dy);
  const scale = Math.min(scaleX, scaleY);
  return { x: center.x + dx * scale, y: center.y + dy * scale };
}
