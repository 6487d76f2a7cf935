import type { Id } from '../ids';
import { parentAssignments } from '../model/board-geometry';
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

/** The frame each sticky belongs to: the innermost frame holding its centre, or none. */
export function frameOfEachSticky(nodes: BoardNode[]): Map<Id, Id | null> {
  const parents = parentAssignments(nodes);
  const result = new Map<Id, Id | null>();
  for (const node of nodes) if (node.type === 'sticky') result.set(node.id, parents.get(node.id) ?? null);
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
