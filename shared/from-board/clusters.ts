import type { Id } from '../ids';
import type { BoardNode } from '../model/records';

/** A frame and the stickies it holds: a cluster (кластер) of the session. */
export interface Cluster {
  frame: BoardNode;
  stickies: BoardNode[];
}

/** Reading order on the board: rows top to bottom, then left to right. */
export function byReadingOrder(a: BoardNode, b: BoardNode): number {
  return a.y - b.y || a.x - b.x;
}

function centreInside(node: BoardNode, frame: BoardNode): boolean {
  const cx = node.x + node.width / 2;
  const cy = node.y + node.height / 2;
  return cx >= frame.x && cx <= frame.x + frame.width && cy >= frame.y && cy <= frame.y + frame.height;
}

/**
 * The frame each sticky belongs to: its parent frame if it has one, else the smallest
 * frame its centre lies in (nested frames: the innermost wins), else none.
 */
export function frameOfEachSticky(nodes: BoardNode[]): Map<Id, Id | null> {
  const frames = nodes.filter((node) => node.type === 'frame').sort((a, b) => a.width * a.height - b.width * b.height);
  const frameIds = new Set(frames.map((frame) => frame.id));
  const result = new Map<Id, Id | null>();
  for (const node of nodes) {
    if (node.type !== 'sticky') continue;
    if (node.parentId && frameIds.has(node.parentId)) result.set(node.id, node.parentId);
    else result.set(node.id, frames.find((frame) => centreInside(node, frame))?.id ?? null);
  }
  return result;
}

/** Every frame with its stickies, both in reading order; stickies outside frames come back apart. */
export function clustersOf(nodes: BoardNode[]): { clusters: Cluster[]; loose: BoardNode[] } {
  const frameOf = frameOfEachSticky(nodes);
  const clusters = nodes
    .filter((node) => node.type === 'frame')
    .sort(byReadingOrder)
    .map((frame) => ({ frame, stickies: [] as BoardNode[] }));
  const byFrame = new Map(clusters.map((cluster) => [cluster.frame.id, cluster]));
  const loose: BoardNode[] = [];
  for (const node of [...nodes].sort(byReadingOrder)) {
    if (node.type !== 'sticky') continue;
    const frameId = frameOf.get(node.id);
    const cluster = frameId ? byFrame.get(frameId) : undefined;
    if (cluster) cluster.stickies.push(node);
    else loose.push(node);
  }
  return { clusters, loose };
}
