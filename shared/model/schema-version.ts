import type * as Y from 'yjs';
import type { DocKind } from '../docs';
import { migrateDatasetV1toV2, migrateIndexV1toV2 } from './migrations';

// Every doc carries its kind and schema version in its 'meta' map. A doc is migrated
// forward on open; a doc written by a newer Stratboard is refused (read-only would
// still risk a newer peer's data being rewritten in an old shape).

export const CURRENT_SCHEMA_VERSION: Record<DocKind, number> = {
  index: 2,
  board: 1,
  dataset: 2,
};

/** Origin of transactions made by migrations, so undo managers don't track them. */
export const MIGRATION_ORIGIN = Symbol('stratboard-migration');

export interface Migration {
  /** The version this step upgrades from; it produces `from + 1`. */
  from: number;
  /** Must be idempotent: two peers may run it on the same doc concurrently. */
  migrate(doc: Y.Doc): void;
}

export const migrations: Record<DocKind, Migration[]> = {
  index: [{ from: 1, migrate: migrateIndexV1toV2 }],
  board: [],
  dataset: [{ from: 1, migrate: migrateDatasetV1toV2 }],
};

export class DocSchemaError extends Error {
  constructor(
    readonly code: 'newer-schema' | 'wrong-kind',
    readonly docKind: DocKind,
    readonly found: unknown,
  ) {
    super(`${code}: ${docKind} doc has ${String(found)}`);
    this.name = 'DocSchemaError';
  }
}

function meta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}

export function schemaVersionOf(doc: Y.Doc): number | undefined {
  const version = meta(doc).get('schemaVersion');
  return typeof version === 'number' ? version : undefined;
}

/** Stamps a brand-new doc with its kind and the current schema version. */
export function initDocMeta(doc: Y.Doc, kind: DocKind, origin?: unknown): void {
  doc.transact(() => {
    meta(doc).set('docKind', kind);
    meta(doc).set('schemaVersion', CURRENT_SCHEMA_VERSION[kind]);
  }, origin);
}

/**
 * Brings a loaded doc to the current schema. An empty doc (not created yet, or not
 * synced yet) is left alone. Returns the version the doc had.
 */
export function migrateDoc(
  doc: Y.Doc,
  kind: DocKind,
  steps: Migration[] = migrations[kind],
  target: number = CURRENT_SCHEMA_VERSION[kind],
): number | undefined {
  const found = schemaVersionOf(doc);
  if (found === undefined) return undefined;
  const docKind = meta(doc).get('docKind');
  if (docKind !== undefined && docKind !== kind) throw new DocSchemaError('wrong-kind', kind, docKind);
  if (found > target) throw new DocSchemaError('newer-schema', kind, found);
  if (found === target) return found;
  doc.transact(() => {
    for (let version = found; version < target; version++) {
      const step = steps.find((s) => s.from === version);
      if (!step) throw new Error(`No migration for ${kind} doc from version ${version}`);
      step.migrate(doc);
    }
    meta(doc).set('schemaVersion', target);
  }, MIGRATION_ORIGIN);
  return found;
}
