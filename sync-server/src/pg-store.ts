import pg from 'pg';
import * as Y from 'yjs';
import { isDocName } from '../../shared/docs';
import { isId, type Id } from '../../shared/ids';
import { WorkspaceFileError } from '../../shared/node/store';
import type { BackendMetrics } from './backend';
import type { Logger } from './logger';
import { workspaceIdOfPath, type WorkspaceFileAccess, type WorkspaceStore } from './workspaces';

/** Stored state of one doc: apply `updates` in order; the snapshot (first, if any) covers the stream up to `streamId`. */
export interface StoredDocState {
  updates: Uint8Array[];
  /** Redis Stream id the snapshot folds in (inclusive); null when none has been. */
  streamId: string | null;
  /** Highest row of the updates table folded in or returned here; 0 when none. */
  uptoSeq: number;
}

/** What the Redis scale-out needs of a store besides WorkspaceStore: snapshots tagged with a stream id. */
export interface SnapshotStore {
  readDocState(docName: string): Promise<StoredDocState>;
  /** The stream id of the doc's current snapshot, null when it has none. */
  snapshotStreamId(docName: string): Promise<string | null>;
  /** Replaces the snapshot and deletes the folded update rows (seq ≤ uptoSeq), in one transaction. */
  writeSnapshot(docName: string, data: Uint8Array, streamId: string | null, uptoSeq: number): Promise<void>;
}

export function isSnapshotStore(store: WorkspaceStore): store is WorkspaceStore & SnapshotStore {
  return typeof (store as Partial<SnapshotStore>).writeSnapshot === 'function';
}

// Idempotent; run under an advisory lock so instances starting together do not race.
const SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS stratboard_workspaces (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS stratboard_updates (
    seq bigserial PRIMARY KEY,
    workspace_id text NOT NULL REFERENCES stratboard_workspaces (id) ON DELETE CASCADE,
    doc text NOT NULL,
    data bytea NOT NULL
  );
  CREATE INDEX IF NOT EXISTS stratboard_updates_doc ON stratboard_updates (workspace_id, doc, seq);
  CREATE TABLE IF NOT EXISTS stratboard_snapshots (
    workspace_id text NOT NULL REFERENCES stratboard_workspaces (id) ON DELETE CASCADE,
    doc text NOT NULL,
    data bytea NOT NULL,
    upto_seq bigint NOT NULL,
    stream_id text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, doc)
  );
`;
const SCHEMA_LOCK = 0x53545242; // 'STRB', as the SQLite application_id

export const DEFAULT_PG_COMPACT_AFTER = 1_000;

export interface PgWorkspacesOptions {
  /** Single-node mode: a doc is compacted in the background after this many updates appended here. */
  compactAfter?: number;
  logger: Logger;
  /** Set by attachMetrics. */
  metrics?: BackendMetrics;
}

/**
 * Workspaces in PostgreSQL (DATABASE_URL): one row per workspace, update rows and one
 * snapshot per doc. Any number of server processes may share the database.
 */
export class PgWorkspaces implements WorkspaceFileAccess {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PgWorkspacesOptions,
  ) {}

  /** Connects and creates the schema if it is missing. */
  static async connect(url: string, options: PgWorkspacesOptions): Promise<PgWorkspaces> {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', (error) => options.logger.error({ err: error }, 'idle PostgreSQL connection failed'));
    try {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await client.query(SCHEMA_SQL);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgWorkspaces(pool, options);
  }

  attachMetrics(metrics: BackendMetrics): void {
    this.options.metrics = metrics;
  }

  async open(path: string): Promise<PgWorkspaceStore> {
    const workspaceId = workspaceIdOfPath(path);
    const where = describe(workspaceId);
    if (!isId(workspaceId)) throw new WorkspaceFileError('not-found', where, 'not a workspace id');
    const result = await this.query<{ name: string }>(where, 'SELECT name FROM stratboard_workspaces WHERE id = $1', [workspaceId]);
    const row = result.rows[0];
    if (!row) throw new WorkspaceFileError('not-found', where, 'no such workspace');
    return new PgWorkspaceStore(this.pool, workspaceId, row.name, this.options);
  }

  async create(_path: string, meta: { workspaceId: Id; name: string }): Promise<PgWorkspaceStore> {
    const where = describe(meta.workspaceId);
    if (!isId(meta.workspaceId)) throw new RangeError(`Invalid workspace id: ${meta.workspaceId}`);
    const result = await this.query(
      where,
      'INSERT INTO stratboard_workspaces (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [meta.workspaceId, meta.name],
    );
    if (result.rowCount === 0) throw new WorkspaceFileError('already-exists', where, 'the workspace already exists');
    return new PgWorkspaceStore(this.pool, meta.workspaceId, meta.name, this.options);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(where: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw new WorkspaceFileError('io', where, (error as Error).message, { cause: error });
    }
  }
}

/** Appends waiting for one commit, and the promise they all get. */
class PendingBatch {
  readonly updates: Array<{ doc: string; data: Uint8Array }> = [];
  resolve!: () => void;
  reject!: (error: unknown) => void;
  readonly promise = new Promise<void>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
}

/** One workspace in PostgreSQL, shaped like the SQLite WorkspaceFile for the server. */
export class PgWorkspaceStore implements WorkspaceStore, SnapshotStore {
  private pending: PendingBatch | null = null;
  private commitTimer: NodeJS.Immediate | null = null;
  /** The one commit under way: update rows get their seq at insert, so commits of a store never overlap and seq order is commit order. */
  private committing: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly appendedSinceCompaction = new Map<string, number>();
  private readonly compacting = new Set<string>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly workspaceId: Id,
    readonly name: string,
    private readonly options: PgWorkspacesOptions,
  ) {}

  async loadDoc(docName: string, doc: Y.Doc): Promise<void> {
    const { updates } = await this.readDocState(docName);
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update, this);
    }, this);
  }

  async encodeDocState(docName: string): Promise<Uint8Array> {
    const doc = new Y.Doc();
    try {
      await this.loadDoc(docName, doc);
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  }

  /**
   * Appends queued while no commit is under way go in one statement at the next tick;
   * those queued during a commit, in one statement right after it. Resolves once committed.
   */
  appendUpdate(docName: string, update: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`store is closed: ${describe(this.workspaceId)}`));
    if (!isDocName(docName)) return Promise.reject(new RangeError(`Invalid doc name: ${docName}`));
    const batch = (this.pending ??= new PendingBatch());
    batch.updates.push({ doc: docName, data: update.slice() });
    if (!this.committing) this.commitTimer ??= setImmediate(() => this.commitPending());
    return batch.promise;
  }

  async flush(): Promise<void> {
    if (this.commitTimer) this.commitPending();
    while (this.committing || this.inFlight.size > 0) {
      await Promise.allSettled([...(this.committing ? [this.committing] : []), ...this.inFlight]);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  async readDocState(docName: string): Promise<StoredDocState> {
    const client = await this.pool.connect();
    try {
      // One snapshot of the database for both reads.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = await client.query<{ data: Buffer; upto_seq: string; stream_id: string | null }>(
        'SELECT data, upto_seq, stream_id FROM stratboard_snapshots WHERE workspace_id = $1 AND doc = $2',
        [this.workspaceId, docName],
      );
      const row = snapshot.rows[0];
      const after = row ? Number(row.upto_seq) : 0;
      const updates = await client.query<{ seq: string; data: Buffer }>(
        'SELECT seq, data FROM stratboard_updates WHERE workspace_id = $1 AND doc = $2 AND seq > $3 ORDER BY seq',
        [this.workspaceId, docName, after],
      );
      await client.query('COMMIT');
      const last = updates.rows.at(-1);
      return {
        updates: [...(row ? [row.data] : []), ...updates.rows.map((update) => update.data)].map(toUint8Array),
        streamId: row?.stream_id ?? null,
        uptoSeq: last ? Number(last.seq) : after,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw new WorkspaceFileError('io', describe(this.workspaceId), (error as Error).message, { doc: docName, cause: error });
    } finally {
      client.release();
    }
  }

  async snapshotStreamId(docName: string): Promise<string | null> {
    const result = await this.pool.query<{ stream_id: string | null }>(
      'SELECT stream_id FROM stratboard_snapshots WHERE workspace_id = $1 AND doc = $2',
      [this.workspaceId, docName],
    );
    return result.rows[0]?.stream_id ?? null;
  }

  async writeSnapshot(docName: string, data: Uint8Array, streamId: string | null, uptoSeq: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO stratboard_snapshots (workspace_id, doc, data, upto_seq, stream_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workspace_id, doc) DO UPDATE
         SET data = excluded.data, upto_seq = excluded.upto_seq, stream_id = excluded.stream_id, updated_at = now()`,
        [this.workspaceId, docName, Buffer.from(data.buffer, data.byteOffset, data.byteLength), uptoSeq, streamId],
      );
      await client.query('DELETE FROM stratboard_updates WHERE workspace_id = $1 AND doc = $2 AND seq <= $3', [
        this.workspaceId,
        docName,
        uptoSeq,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw new WorkspaceFileError('io', describe(this.workspaceId), (error as Error).message, { doc: docName, cause: error });
    } finally {
      client.release();
    }
  }

  /** Folds the doc's update rows into its snapshot (keeping the snapshot's stream id). */
  async compact(docName: string): Promise<void> {
    const started = performance.now();
    const state = await this.readDocState(docName);
    const doc = new Y.Doc();
    try {
      doc.transact(() => {
        for (const update of state.updates) Y.applyUpdate(doc, update);
      });
      await this.writeSnapshot(docName, Y.encodeStateAsUpdate(doc), state.streamId, state.uptoSeq);
      this.options.metrics?.observeCompaction((performance.now() - started) / 1_000);
    } finally {
      doc.destroy();
    }
  }

  private commitPending(): void {
    if (this.commitTimer) clearImmediate(this.commitTimer);
    this.commitTimer = null;
    if (this.committing) return;
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    const values: unknown[] = [];
    const rows = batch.updates.map(({ doc, data }, i) => {
      values.push(this.workspaceId, doc, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`;
    });
    // One statement is one transaction; COMMIT returns after the WAL is flushed.
    const committing = this.pool
      .query(`INSERT INTO stratboard_updates (workspace_id, doc, data) VALUES ${rows.join(', ')}`, values)
      .then(
        () => {
          batch.resolve();
          for (const { doc } of batch.updates) this.countAppend(doc);
        },
        (error: unknown) =>
          batch.reject(
            new WorkspaceFileError('io', describe(this.workspaceId), `committing ${batch.updates.length} updates: ${(error as Error).message}`, {
              cause: error,
            }),
          ),
      );
    this.committing = committing.finally(() => {
      this.committing = null;
      if (this.pending) this.commitPending();
    });
  }

  private countAppend(docName: string): void {
    const count = (this.appendedSinceCompaction.get(docName) ?? 0) + 1;
    this.appendedSinceCompaction.set(docName, count);
    const threshold = this.options.compactAfter ?? DEFAULT_PG_COMPACT_AFTER;
    if (count < threshold || this.compacting.has(docName) || this.closed) return;
    this.appendedSinceCompaction.set(docName, 0);
    this.compacting.add(docName);
    const compaction = this.compact(docName)
      .catch((error: unknown) =>
        this.options.logger.error({ workspaceId: this.workspaceId, docName, err: error }, 'PostgreSQL compaction failed'),
      )
      .finally(() => this.compacting.delete(docName));
    this.inFlight.add(compaction);
    void compaction.finally(() => this.inFlight.delete(compaction));
  }
}

function describe(workspaceId: string): string {
  return `postgres:stratboard_workspaces/${workspaceId}`;
}

function toUint8Array(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
