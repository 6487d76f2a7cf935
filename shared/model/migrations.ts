import * as Y from 'yjs';
import { WorkspaceIndex } from './workspace-index';
import { seedDefaultCategories } from './registry';

// Schema steps. Each must be idempotent: two peers may run the same step on the same
// doc concurrently, and their writes merge.

const statusV1toV2: Record<string, string> = { 'in-work': 'confirmed', covered: 'in-project' };
/** v1 had these fixed categories beyond the v2 default set; they become workspace categories. */
const retiredCategoriesV1: Record<string, string> = { culture: 'Культура', economy: 'Экономика' };

/** Index v1 → v2: the category list, problem sources/signal counts, the new status set. */
export function migrateIndexV1toV2(doc: Y.Doc): void {
  const index = new WorkspaceIndex(doc);
  seedDefaultCategories(index);
  let order = 100;
  for (const entry of doc.getMap<Y.Map<unknown>>('problems').values()) {
    if (!(entry instanceof Y.Map)) continue;
    const signals = entry.get('signals');
    if (Array.isArray(signals)) {
      if (!entry.has('sources')) {
        entry.set('sources', signals);
        const total = signals.reduce((sum: number, s: { count?: unknown }) => sum + (typeof s?.count === 'number' ? s.count : 0), 0);
        entry.set('signalCount', total);
      }
      entry.delete('signals');
    }
    const status = entry.get('status');
    if (typeof status === 'string' && statusV1toV2[status]) entry.set('status', statusV1toV2[status]);
    const category = entry.get('category');
    if (typeof category === 'string' && retiredCategoriesV1[category] && !index.categories.has(category)) {
      index.categories.create({ id: category, label: retiredCategoriesV1[category], order: order++, archived: false });
    }
  }
}

/**
 * Dataset v1 → v2: appeals move from a Y.Map of Y.Maps to plain rows in the `rows`
 * array. A concurrent second run can push a row twice; readers skip repeated ids.
 */
export function migrateDatasetV1toV2(doc: Y.Doc): void {
  const legacy = doc.getMap<Y.Map<unknown>>('appeals');
  const rows = doc.getArray<unknown>('rows');
  let row = rows.length + 1;
  const moved: unknown[] = [];
  for (const [id, entry] of [...legacy.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!(entry instanceof Y.Map)) continue;
    const old = entry.toJSON() as Record<string, unknown>;
    moved.push({
      id,
      row: row++,
      receivedAt: old.receivedAt,
      text: old.text,
      territoryName: old.territoryName ?? '',
      categoryName: old.category ?? '',
      channel: old.channel ?? 'appeal',
    });
    legacy.delete(id);
  }
  if (moved.length > 0) rows.push(moved);
}
