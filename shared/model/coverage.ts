import type { Id } from '../ids';
import type { Problem, ProblemProjectLink, Territory } from './records';

export interface CoverageCounts {
  problems: number;
  systemic: number;
  /** Problems with at least one linked project. */
  covered: number;
  uncovered: number;
  /** Systemic problems no project answers yet: what the map makes stand out. */
  systemicUncovered: number;
}

export interface CoverageRow extends CoverageCounts {
  /** Absent for problems without a territory. */
  territoryId?: Id;
  /** Absent when grouping by territory only. */
  category?: string;
}

export interface Coverage {
  rows: CoverageRow[];
  byTerritory: CoverageRow[];
  byCategory: CoverageRow[];
  total: CoverageCounts;
}

export interface CoverageOptions {
  /** Count a settlement's problems under its district (the territory's top-most ancestor below the region). */
  rollUpToDistrict?: boolean;
  /** Rejected problems are not problems; they are left out unless asked for. */
  includeRejected?: boolean;
}

const empty = (): CoverageCounts => ({ problems: 0, systemic: 0, covered: 0, uncovered: 0, systemicUncovered: 0 });

function add(counts: CoverageCounts, systemic: boolean, covered: boolean): void {
  counts.problems++;
  if (systemic) counts.systemic++;
  if (covered) counts.covered++;
  else counts.uncovered++;
  if (systemic && !covered) counts.systemicUncovered++;
}

/** The district a territory belongs to (itself for a district or a top-level territory). */
export function districtOf(territoryId: Id, territories: ReadonlyMap<Id, Territory>): Id {
  let current = territories.get(territoryId);
  const seen = new Set<Id>();
  while (current?.parentId && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = territories.get(current.parentId);
    if (!parent || parent.kind === 'region') break;
    current = parent;
  }
  return current?.id ?? territoryId;
}

/**
 * Counts by territory × category, by territory, by category and in total: problems,
 * systemic ones, covered by a project, uncovered. Rows are sorted by key so the table
 * and chart are stable.
 */
export function computeCoverage(
  problems: readonly Problem[],
  links: readonly ProblemProjectLink[],
  territories: readonly Territory[] = [],
  options: CoverageOptions = {},
): Coverage {
  const linked = new Set(links.map((link) => link.problemId));
  const territoryById = new Map(territories.map((territory) => [territory.id, territory]));
  const cells = new Map<string, CoverageRow>();
  const byTerritory = new Map<string, CoverageRow>();
  const byCategory = new Map<string, CoverageRow>();
  const total = empty();
  for (const problem of problems) {
    if (problem.status === 'rejected' && !options.includeRejected) continue;
    const territoryId =
      problem.territoryId && options.rollUpToDistrict ? districtOf(problem.territoryId, territoryById) : problem.territoryId;
    const systemic = problem.kind === 'systemic';
    const covered = linked.has(problem.id);
    const cellKey = `${territoryId ?? ''}\u0000${problem.category}`;
    let cell = cells.get(cellKey);
    if (!cell) cells.set(cellKey, (cell = { territoryId, category: problem.category, ...empty() }));
    let territoryRow = byTerritory.get(territoryId ?? '');
    if (!territoryRow) byTerritory.set(territoryId ?? '', (territoryRow = { territoryId, ...empty() }));
    let categoryRow = byCategory.get(problem.category);
    if (!categoryRow) byCategory.set(problem.category, (categoryRow = { category: problem.category, ...empty() }));
    for (const counts of [cell, territoryRow, categoryRow, total]) add(counts, systemic, covered);
  }
  const sorted = (map: Map<string, CoverageRow>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  return { rows: sorted(cells), byTerritory: sorted(byTerritory), byCategory: sorted(byCategory), total };
}
