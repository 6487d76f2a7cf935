import type * as Y from 'yjs';
import type { Id } from '../ids';
import { boardDocName, datasetDocName, INDEX_DOC } from '../docs';
import { appealSchema, type Appeal, type Dataset } from './records';

/** Rows per transaction: each becomes one Yjs update of a few hundred KB, never one giant one. */
export const APPEAL_CHUNK_ROWS = 1000;
/** A part doc holds at most this many rows / JSON bytes, so its whole state syncs in one message. */
export const DATASET_PART_MAX_ROWS = 10_000;
export const DATASET_PART_MAX_BYTES = 3 * 1024 * 1024;

/**
 * One part doc of an imported dataset (`dataset-<partId>`). Appeals are immutable
 * plain-JSON rows in a Y.Array (a Y.Map per row costs ~10× the write time and 30% more
 * bytes at 100k rows); the only edits, a territory the user resolves by hand, live in
 * the `territoryFixes` map keyed by appeal id.
 */
export class DatasetDoc {
  readonly rows: Y.Array<unknown>;
  readonly territoryFixes: Y.Map<Id>;

  constructor(
    readonly doc: Y.Doc,
    private readonly origin: unknown = null,
  ) {
    this.rows = doc.getArray('rows');
    this.territoryFixes = doc.getMap('territoryFixes');
  }

  /** Valid rows in import order with territory fixes applied; a malformed or repeated id is skipped. */
  appealList(): Appeal[] {
    const appeals: Appeal[] = [];
    const seen = new Set<Id>();
    for (const raw of this.rows.toArray()) {
      const parsed = appealSchema.safeParse(raw);
      if (!parsed.success || seen.has(parsed.data.id)) continue;
      seen.add(parsed.data.id);
      const fix = this.territoryFixes.get(parsed.data.id);
      appeals.push(fix ? { ...parsed.data, territoryId: fix } : parsed.data);
    }
    return appeals;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /**
   * Appends already-validated appeals (see `importAppeals` in shared/import) in
   * transactions of `chunkRows`; awaits `between` after each so a UI thread stays responsive.
   */
  async appendAppeals(
    appeals: readonly Appeal[],
    options: { chunkRows?: number; onProgress?: (written: number, total: number) => void; between?: () => Promise<void> } = {},
  ): Promise<void> {
    const chunkRows = options.chunkRows ?? APPEAL_CHUNK_ROWS;
    for (let start = 0; start < appeals.length; start += chunkRows) {
      const chunk = appeals.slice(start, start + chunkRows).map((appeal) => appealSchema.parse(appeal));
      this.doc.transact(() => this.rows.push(chunk), this.origin);
      options.onProgress?.(Math.min(start + chunkRows, appeals.length), appeals.length);
      if (options.between) await options.between();
    }
  }

  /** The user resolves an unresolved territory (or corrects a resolved one) for some appeals, in one transaction. */
  setTerritory(appealIds: readonly Id[], territoryId: Id): void {
    this.doc.transact(() => {
      for (const id of appealIds) this.territoryFixes.set(id, territoryId);
    }, this.origin);
  }
}

/** The part docs of a dataset in row order (datasets from schema 1 lived in `dataset-<datasetId>`). */
export function datasetPartIds(dataset: Pick<Dataset, 'id' | 'partIds'>): Id[] {
  return dataset.partIds.length > 0 ? dataset.partIds : [dataset.id];
}

/** Splits rows into parts that each fit one sync message; the approximate size is the rows' JSON length. */
export function splitIntoParts<T>(rows: readonly T[], maxRows = DATASET_PART_MAX_ROWS, maxBytes = DATASET_PART_MAX_BYTES): T[][] {
  const parts: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length * 2;
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      parts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/**
 * Every doc the index names: itself, each board's doc and each dataset's part docs.
 * A workspace copied or published somewhere must carry all of them.
 */
export function workspaceDocNames(index: { boards: { list(): { id: Id }[] }; datasets: { list(): Pick<Dataset, 'id' | 'partIds'>[] } }): string[] {
  return [
    INDEX_DOC,
    ...index.boards.list().map((board) => boardDocName(board.id)),
    ...index.datasets.list().flatMap((dataset) => datasetPartIds(dataset).map(datasetDocName)),
  ];
}
