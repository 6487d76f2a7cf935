import type { ElkNode } from 'elkjs/lib/elk-api';

// Auto-layout of the problem → project map: problems in boxes per territory (or category)
// on the left, project cards on the right, links between them. Pure: builds the ELK graph
// and reads positions back; the layout itself runs in a worker (layout.worker.ts).

export const PROBLEM_SIZE = { width: 240, height: 64 };
export const PROJECT_SIZE = { width: 260, height: 72 };
const GROUP_PREFIX = 'group:';

export interface MapLayoutInput {
  groups: { key: string; label: string; problemIds: string[] }[];
  projectIds: string[];
  links: { problemId: string; projectId: string }[];
}

export interface MapLayout {
  /** Top-left positions; problems relative to their group box. */
  positions: Record<string, { x: number; y: number }>;
  groups: { key: string; label: string; x: number; y: number; width: number; height: number }[];
}

export function groupNodeId(key: string): string {
  return `${GROUP_PREFIX}${key}`;
}

const GROUP_PADDING = { top: 34, side: 12, gap: 12 };

/** Problems inside a group sit in a grid (about twice as tall as wide): cheap and readable. */
export function groupGrid(count: number): { columns: number; width: number; height: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count / 2)));
  const rows = Math.max(1, Math.ceil(count / columns));
  return {
    columns,
    width: GROUP_PADDING.side * 2 + columns * PROBLEM_SIZE.width + (columns - 1) * GROUP_PADDING.gap,
    height: GROUP_PADDING.top + GROUP_PADDING.side + rows * PROBLEM_SIZE.height + (rows - 1) * GROUP_PADDING.gap,
  };
}

export function buildElkGraph(input: MapLayoutInput): ElkNode {
  const groupOf = new Map<string, string>();
  for (const group of input.groups) for (const id of group.problemIds) groupOf.set(id, groupNodeId(group.key));
  const projectIds = new Set(input.projectIds);
  // ELK places one box per group and the projects; inside a box the problems sit in a
  // grid. A layered layout over 500 problems in nested boxes took seconds.
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '200',
      'elk.spacing.nodeNode': '24',
      // Crossings are kept low by the order given (projects by the mean position of the
      // groups they answer), not searched for: measured in Node on 12 groups × 150 projects
      // × 300 links on the loaded 2-core machine, ELK's own crossing minimisation took
      // 2.3–6 s, this 0.7–1.1 s.
      'elk.layered.crossingMinimization.strategy': 'NONE',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.edgeRouting': 'POLYLINE',
      // One picture, problems left and projects right, even when they fall into unconnected parts.
      'elk.separateConnectedComponents': 'false',
    },
    children: [
      ...input.groups.map((group) => {
        const grid = groupGrid(group.problemIds.length);
        return { id: groupNodeId(group.key), width: grid.width, height: grid.height, layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' } };
      }),
      ...orderProjects(input).map((id) => ({ id, ...PROJECT_SIZE, layoutOptions: { 'elk.layered.layering.layerConstraint': 'LAST' } })),
    ],
    // Links run from a problem's group to the project: that orders groups and projects so
    // that lines cross as little as possible.
    edges: dedupe(
      input.links
        .filter((link) => groupOf.has(link.problemId) && projectIds.has(link.projectId))
        .map((link) => `${groupOf.get(link.problemId)}\u0000${link.projectId}`),
    ).map((pair, i) => {
      const [source, target] = pair.split('\u0000');
      return { id: `e${i}`, sources: [source!], targets: [target!] };
    }),
  };
}

/** Projects in the order of the mean index of the groups they answer (barycentre); unlinked ones last. */
export function orderProjects(input: MapLayoutInput): string[] {
  const groupIndex = new Map<string, number>();
  input.groups.forEach((group, i) => group.problemIds.forEach((id) => groupIndex.set(id, i)));
  const sums = new Map<string, { total: number; count: number }>();
  for (const link of input.links) {
    const index = groupIndex.get(link.problemId);
    if (index === undefined) continue;
    const sum = sums.get(link.projectId) ?? { total: 0, count: 0 };
    sum.total += index;
    sum.count += 1;
    sums.set(link.projectId, sum);
  }
  const key = (id: string) => {
    const sum = sums.get(id);
    return sum ? sum.total / sum.count : Number.POSITIVE_INFINITY;
  };
  return [...input.projectIds].sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

export function readLayout(result: ElkNode, input: MapLayoutInput): MapLayout {
  const positions: MapLayout['positions'] = {};
  const groups: MapLayout['groups'] = [];
  const byNodeId = new Map(input.groups.map((group) => [groupNodeId(group.key), group]));
  for (const child of result.children ?? []) {
    const group = byNodeId.get(child.id);
    if (!group) {
      positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
      continue;
    }
    const grid = groupGrid(group.problemIds.length);
    groups.push({ key: group.key, label: group.label, x: child.x ?? 0, y: child.y ?? 0, width: grid.width, height: grid.height });
    group.problemIds.forEach((id, i) => {
      const column = i % grid.columns;
      const row = Math.floor(i / grid.columns);
      positions[id] = {
        x: GROUP_PADDING.side + column * (PROBLEM_SIZE.width + GROUP_PADDING.gap),
        y: GROUP_PADDING.top + row * (PROBLEM_SIZE.height + GROUP_PADDING.gap),
      };
    });
  }
  return { positions, groups };
}
