import { close as closeAsync, closeSync, fdatasync, fsyncSync, open as openAsync, openSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { isDocName } from '../../docs';
import { isId } from '../../ids';
import { toWorkspaceFileError, WorkspaceFileError } from './errors';
import { APPLICATION_ID, SCHEMA_SQL, STORE_SCHEMA_VERSION } from './schema';
import { validateWorkspaceFile } from './validate';

/**
 * How far a committed update survives (SQLite WAL `synchronous`):
 * - `fsync` (FULL, the default): each commit is fsynced before appendUpdate resolves, so
 *   an acknowledged update survives a crash of the process, the OS and a power loss.
 * - `process` (NORMAL): a commit is written to the WAL before appendUpdate resolves and
 *   synced to disk in the background within `walSyncMs` (1 s) of it, off the event loop.
 *   It survives a crash or kill of the process (the OS already holds the write); a power
 *   loss or OS crash may lose the commits of that last second. The file is never corrupted.
 */
export type Durability = 'fsync' | 'process';
export const durabilities = ['fsync', 'process'] as const satisfies readonly Durability[];

const SYNCHRONOUS: Record<Durability, number> = { fsync: 2, process: 1 };

export interface WorkspaceFileOptions {
  /** What an acknowledged commit survives; `fsync` by default. See Durability. */
  durability?: Durability;
  /** A doc is compacted in the background once it has this many updates since its snapshot. Infinity turns it off. */
  autoCompactAfter?: number;
  /** Receives failures of background work (compaction), which has no caller to reject. */
  onBackgroundError?: (error: WorkspaceFileError) => void;
  /** Told how long each background compaction worked (its slices summed, ms), for the server's metrics. */
  onCompacted?: (docName: string, durationMs: number) => void;
  /** With `process` durability: how long after a commit the WAL is synced to disk (ms, default 1000). */
  walSyncMs?: number;
  /** Told how long each background WAL sync of `process` durability took (ms), for the server's metrics. */
  onWalSynced?: (durationMs: number) => void;
}

export const DEFAULT_AUTO_COMPACT_AFTER = 10_000;
/** `process` durability syncs the WAL at most this long after a commit (ms). */
export const DEFAULT_WAL_SYNC_MS = 1000;
/** A file that committed less than this long ago groups appends per event-loop turn. */
const BUSY_COMMIT_GAP_MS = 2;
/** Longest run of background compaction work before it yields to the event loop. */
const COMPACTION_SLICE_MS = 3;
/** Updates read from the file at a time by background compaction. */
const COMPACTION_READ_UPDATES = 50;

const EMPTY_DOC_STATE = Y.encodeStateAsUpdate(new Y.Doc());

interface DocState {
  /** Highest seq ever given to this doc (stored or folded into its snapshot). */
  lastSeq: number;
  /** Stored updates with seq above the snapshot's upto. */
  updateCount: number;
}

interface PendingUpdate {
  doc: string;
  data: Uint8Array;
}

interface PendingBatch {
  updates: PendingUpdate[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: WorkspaceFileError) => void;
}

interface Statements {
  insertUpdate: Database.Statement<[string, number, Uint8Array]>;
  selectSnapshot: Database.Statement<[string], { data: Buffer; upto: number }>;
  selectUpdatesAfter: Database.Statement<[string, number], Buffer>;
  selectUpdatesBetween: Database.Statement<[string, number, number], Buffer>;
  upsertSnapshot: Database.Statement<[string, Uint8Array, number]>;
  deleteUpdatesUpTo: Database.Statement<[string, number]>;
}

/**
 * One workspace: one SQLite file holding the Yjs updates and snapshots of its docs.
 * The connection holds the file exclusively until close(), so exactly one
 * WorkspaceFile (in one process) writes it; a second open fails with 'in-use'.
 */
export class WorkspaceFile {
  readonly path: string;
  readonly workspaceId: string;
  readonly name: string;

  private readonly db: Database.Database;
  private readonly statements: Statements;
  /** One transaction inserting a batch; `lastSeqs` receives each doc's new last seq. Built once, not per commit. */
  private readonly insertUpdates: (updates: PendingUpdate[], lastSeqs: Map<string, number>) => void;
  private readonly docs = new Map<string, DocState>();
  private readonly autoCompactAfter: number;
  private readonly onBackgroundError: (error: WorkspaceFileError) => void;
  private readonly onCompacted: ((docName: string, durationMs: number) => void) | undefined;
  /** null with `fsync` durability, where every commit is synced before it resolves. */
  private readonly walSyncMs: number | null;
  private readonly onWalSynced: ((durationMs: number) => void) | undefined;
  private walSyncTimer: NodeJS.Timeout | null = null;
  private pending: PendingBatch | null = null;
  private commitTimer: NodeJS.Immediate | null = null;
  /** A commit of `pending` is due (as a microtask or in `commitTimer`). */
  private commitScheduled = false;
  /** When the last commit ended (performance.now()). */
  private lastCommitAt = -Infinity;
  /** Background compactions under way (or due), by doc: at most one per doc. */
  private readonly compactions = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();
  private committedTransactions = 0;
  private closed = false;

  private constructor(path: string, db: Database.Database, meta: { workspaceId: string; name: string }, options: WorkspaceFileOptions) {
    this.path = path;
    this.db = db;
    this.workspaceId = meta.workspaceId;
    this.name = meta.name;
    this.autoCompactAfter = options.autoCompactAfter ?? DEFAULT_AUTO_COMPACT_AFTER;
    this.onBackgroundError = options.onBackgroundError ?? ((error) => console.error(error));
    this.onCompacted = options.onCompacted;
    this.walSyncMs = (options.durability ?? 'fsync') === 'process' ? (options.walSyncMs ?? DEFAULT_WAL_SYNC_MS) : null;
    this.onWalSynced = options.onWalSynced;
    this.statements = {
      insertUpdate: db.prepare('INSERT INTO updates (doc, seq, data) VALUES (?, ?, ?)'),
      selectSnapshot: db.prepare('SELECT data, upto FROM snapshots WHERE doc = ?'),
      selectUpdatesAfter: db.prepare<[string, number], Buffer>('SELECT data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq').pluck(),
      selectUpdatesBetween: db
        .prepare<[string, number, number], Buffer>('SELECT data FROM updates WHERE doc = ? AND seq > ? AND seq <= ? ORDER BY seq')
        .pluck(),
      upsertSnapshot: db.prepare(
        'INSERT INTO snapshots (doc, data, upto) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto',
      ),
      deleteUpdatesUpTo: db.prepare('DELETE FROM updates WHERE doc = ? AND seq <= ?'),
    };
    this.insertUpdates = db.transaction((updates: PendingUpdate[], lastSeqs: Map<string, number>) => {
      for (const { doc, data } of updates) {
        const seq = (lastSeqs.get(doc) ?? this.docs.get(doc)?.lastSeq ?? 0) + 1;
        this.statements.insertUpdate.run(doc, seq, data);
        lastSeqs.set(doc, seq);
      }
    });
    this.readDocStates();
  }

  static create(path: string, init: { workspaceId: string; name: string }, options: WorkspaceFileOptions = {}): WorkspaceFile {
    if (!isId(init.workspaceId)) throw new RangeError(`Invalid workspace id: ${init.workspaceId}`);
    try {
      // 'wx' claims the path atomically: an existing file is never touched.
      closeSync(openSync(path, 'wx'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new WorkspaceFileError('already-exists', path, 'a file already exists at this path', { cause: error });
      }
      throw new WorkspaceFileError('io', path, `creating the file failed: ${(error as Error).message}`, { cause: error });
    }

    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: true, timeout: 100 });
      db.pragma('locking_mode = EXCLUSIVE');
      // Must precede the first table; lets compaction return freed pages to the file system.
      db.pragma('auto_vacuum = INCREMENTAL');
      // One rollback-mode transaction: a file either is a complete workspace or lacks our application_id.
      db.transaction(() => {
        db!.pragma(`application_id = ${APPLICATION_ID}`);
        db!.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        db!.exec(SCHEMA_SQL);
        const insertMeta = db!.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        insertMeta.run('workspaceId', init.workspaceId);
        insertMeta.run('name', init.name);
        insertMeta.run('createdAt', new Date().toISOString());
      })();
      configureConnection(db, options.durability ?? 'fsync');
      syncDirectory(path);
      return new WorkspaceFile(path, db, init, options);
    } catch (error) {
      db?.close();
      try {
        unlinkSync(path);
      } catch {
        // Already gone; the creation error below is what matters.
      }
      throw toWorkspaceFileError(error, path, { during: 'creating the workspace file' });
    }
  }

  static open(path: string, options: WorkspaceFileOptions = {}): WorkspaceFile {
    const meta = validateWorkspaceFile(path);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: true, timeout: 100 });
      db.pragma('locking_mode = EXCLUSIVE');
      configureConnection(db, options.durability ?? 'fsync');
      return new WorkspaceFile(path, db, meta, options);
    } catch (error) {
      db?.close();
      throw toWorkspaceFileError(error, path, { during: 'opening the workspace file' });
    }
  }

  /** Transactions committed by appendUpdate so far: one per callback (or, busy, per event-loop turn) with appends. */
  get commitCount(): number {
    return this.committedTransactions;
  }

  /** The durability in effect, read back from the connection's `PRAGMA synchronous`. */
  get durability(): Durability {
    this.assertOpen();
    const level = this.db.pragma('synchronous', { simple: true }) as number;
    const durability = durabilities.find((name) => SYNCHRONOUS[name] === level);
    if (!durability) throw new Error(`Unexpected PRAGMA synchronous = ${level} (${this.path})`);
    return durability;
  }

  listDocs(): string[] {
    return [...this.docs.keys()].sort();
  }

  /**
   * Applies snapshot + later updates of docName to `doc` in one Yjs transaction (origin: this
   * WorkspaceFile). Only committed updates: an append counts once its promise has resolved.
   * No-op for an unknown doc.
   */
  loadDoc(docName: string, doc: Y.Doc): void {
    this.assertOpen();
    if (!this.docs.has(docName)) return;
    try {
      this.applyStoredState(docName, doc);
    } catch (error) {
      throw toWorkspaceFileError(error, this.path, { doc: docName, during: 'loading the doc' });
    }
  }

  /** One update encoding the doc's whole stored (committed) state, for IPC and sync replies. */
  encodeDocState(docName: string): Uint8Array {
    this.assertOpen();
    const state = this.docs.get(docName);
    if (!state) return EMPTY_DOC_STATE.slice();
    try {
      if (state.updateCount === 0) {
        const snapshot = this.statements.selectSnapshot.get(docName);
        if (snapshot) return toUint8Array(snapshot.data);
      }
      const doc = new Y.Doc();
      try {
        this.applyStoredState(docName, doc);
        return Y.encodeStateAsUpdate(doc);
      } finally {
        doc.destroy();
      }
    } catch (error) {
      throw toWorkspaceFileError(error, this.path, { doc: docName, during: 'encoding the doc state' });
    }
  }

  /**
   * Queues the update; the appends of one callback (of one event-loop turn when the
   * file is busy) commit in one transaction. Resolves after that commit (the update
   * is durable), rejects if it fails.
   */
  appendUpdate(docName: string, update: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`WorkspaceFile is closed: ${this.path}`));
    if (!isDocName(docName)) return Promise.reject(new RangeError(`Invalid doc name: ${docName} (${this.path})`));
    const batch = (this.pending ??= createBatch());
    // Copied because it is bound only at commit time, and callers may reuse their buffer.
    batch.updates.push({ doc: docName, data: update.slice() });
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      // A file that has not committed for a while commits at the end of the current
      // callback: the sync server broadcasts only after the commit, and the setImmediate
      // hop cost it ~30–80 µs per update. A busy file waits for the end of the
      // event-loop turn instead, so appends from every socket read in the turn share
      // one transaction (and one fsync).
      if (performance.now() - this.lastCommitAt > BUSY_COMMIT_GAP_MS) queueMicrotask(this.commitPendingNow);
      else this.commitTimer = setImmediate(this.commitPendingNow);
    }
    return batch.promise;
  }

  /**
   * Commits the update before returning, in a transaction of its own, when the file is
   * idle (nothing queued, no commit in the last 2 ms), and returns true; throws a
   * WorkspaceFileError if that commit fails. When busy it returns false and stores
   * nothing: use appendUpdate, which groups. For a caller that acts on the commit at
   * once (the sync server broadcasts it within the same callback).
   */
  commitUpdateIfIdle(docName: string, update: Uint8Array): boolean {
    this.assertOpen();
    if (!isDocName(docName)) throw new RangeError(`Invalid doc name: ${docName} (${this.path})`);
    if (this.pending || performance.now() - this.lastCommitAt <= BUSY_COMMIT_GAP_MS) return false;
    const seq = (this.docs.get(docName)?.lastSeq ?? 0) + 1;
    try {
      // One statement outside BEGIN/COMMIT is its own transaction: the same commit,
      // minus two statement runs (~17 µs of ~128 µs on a file idle for 50 ms).
      this.statements.insertUpdate.run(docName, seq, update);
    } catch (error) {
      throw toWorkspaceFileError(error, this.path, { doc: docName, during: 'committing an update' });
    }
    this.recordCommit(new Map([[docName, seq]]));
    return true;
  }

  /** Loads the doc into a fresh Y.Doc and, in one transaction, replaces its snapshot with that doc's encoding and deletes the folded updates. */
  compact(docName: string): void {
    this.assertOpen();
    const state = this.docs.get(docName);
    if (!state || state.updateCount === 0) return;
    try {
      this.db.transaction(() => {
        const doc = new Y.Doc();
        try {
          this.applyStoredState(docName, doc);
          this.statements.upsertSnapshot.run(docName, Y.encodeStateAsUpdate(doc), state.lastSeq);
        } finally {
          doc.destroy();
        }
        this.statements.deleteUpdatesUpTo.run(docName, state.lastSeq);
      }).immediate();
      state.updateCount = 0;
      this.db.pragma('incremental_vacuum');
    } catch (error) {
      throw toWorkspaceFileError(error, this.path, { doc: docName, during: 'compacting the doc' });
    }
  }

  /** Updates stored for docName since its last snapshot. */
  updateCount(docName: string): number {
    return this.docs.get(docName)?.updateCount ?? 0;
  }

  /** Commits what is queued now; resolves when nothing is pending (failures reject the appends themselves). */
  async flush(): Promise<void> {
    if (this.pending) this.commitPending();
  }

  /** Flushes, then checkpoints and closes: afterwards the workspace is a single file again. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    // A compaction under way stops at its next slice; nothing of it was written yet.
    this.compactions.clear();
    // The checkpoint below syncs the WAL and then the database file.
    if (this.walSyncTimer) clearTimeout(this.walSyncTimer);
    this.walSyncTimer = null;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      // Rollback-journal mode on disk lets read-only readers open the closed file
      // without creating -wal/-shm files beside it.
      this.db.pragma('journal_mode = DELETE');
    } catch (error) {
      this.onBackgroundError(toWorkspaceFileError(error, this.path, { during: 'checkpointing on close' }));
    } finally {
      this.db.close();
    }
  }

  private readonly commitPendingNow = () => this.commitPending();

  private commitPending(): void {
    if (this.commitTimer) clearImmediate(this.commitTimer);
    this.commitTimer = null;
    this.commitScheduled = false;
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;

    const lastSeqs = new Map<string, number>();
    try {
      this.insertUpdates(batch.updates, lastSeqs);
    } catch (error) {
      const docs = [...new Set(batch.updates.map((update) => update.doc))].join(', ');
      batch.reject(toWorkspaceFileError(error, this.path, { doc: docs, during: `committing ${batch.updates.length} updates` }));
      return;
    }
    this.recordCommit(lastSeqs);
    batch.resolve();
  }

  private recordCommit(lastSeqs: Map<string, number>): void {
    this.lastCommitAt = performance.now();
    this.committedTransactions++;
    if (this.walSyncMs !== null && !this.walSyncTimer) {
      this.walSyncTimer = setTimeout(this.syncWal, this.walSyncMs);
      this.walSyncTimer.unref();
    }
    for (const [docName, lastSeq] of lastSeqs) {
      const state = this.docs.get(docName) ?? { lastSeq: 0, updateCount: 0 };
      state.updateCount += lastSeq - state.lastSeq;
      state.lastSeq = lastSeq;
      this.docs.set(docName, state);
      if (state.updateCount >= this.autoCompactAfter) this.scheduleCompaction(docName);
    }
  }

  // `process` durability: SQLite syncs the WAL only at checkpoints (every ~1,000 pages),
  // so on a quiet server a commit could wait minutes for the disk. One sync at most
  // walSyncMs after the first unsynced commit bounds what a power loss takes to that
  // window, as Redis' `appendfsync everysec` does; it runs on the libuv thread pool, so
  // commits and broadcasts go on meanwhile. Any fd of the WAL syncs its data: SQLite's
  // own is not reachable from here. WAL frames carry checksums, so a sync taken between
  // two commits leaves a valid prefix of them.
  private readonly syncWal = () => {
    this.walSyncTimer = null;
    if (this.closed) return;
    const startedAt = performance.now();
    const fail = (error: NodeJS.ErrnoException) => {
      // After close() the WAL is gone, and the checkpoint already synced what it held.
      if (this.closed && error.code === 'ENOENT') return;
      this.onBackgroundError(toWorkspaceFileError(error, this.path, { during: 'syncing the write-ahead log' }));
    };
    openAsync(`${this.path}-wal`, 'r+', (openError, fd) => {
      if (openError) return fail(openError);
      fdatasync(fd, (syncError) => {
        closeAsync(fd, () => {});
        if (syncError) fail(syncError);
        else this.onWalSynced?.(performance.now() - startedAt);
      });
    });
  };

  // Background compaction runs in slices of a few milliseconds, each its own macrotask,
  // so the commits and fan-outs of a live room keep flowing while 10,000 updates are
  // folded (all at once that blocked the event loop for ~100 ms). Only the last step,
  // writing the snapshot and deleting what it folds, is one synchronous transaction.
  private scheduleCompaction(docName: string): void {
    if (this.compactions.has(docName)) return;
    const timer = setTimeout(() => this.compactInSlices(docName), 0);
    timer.unref();
    this.compactions.set(docName, timer);
  }

  private compactInSlices(docName: string): void {
    const state = this.docs.get(docName);
    if (this.closed || !state || state.updateCount < this.autoCompactAfter) {
      this.compactions.delete(docName);
      return;
    }
    let busyMs = 0;
    const doc = new Y.Doc();
    let snapshotUpto: number;
    // Folds what is committed now; later appends stay as updates above `target`.
    const target = state.lastSeq;
    let folded: number;
    const fail = (error: unknown) => {
      this.compactions.delete(docName);
      doc.destroy();
      this.onBackgroundError(toWorkspaceFileError(error, this.path, { doc: docName, during: 'background compaction' }));
    };
    try {
      const snapshot = this.statements.selectSnapshot.get(docName);
      snapshotUpto = snapshot?.upto ?? 0;
      folded = snapshotUpto;
      if (snapshot) Y.applyUpdate(doc, snapshot.data, this);
    } catch (error) {
      fail(error);
      return;
    }
    const slice = () => {
      // close() or another compaction of this doc took over.
      if (this.closed || this.compactions.get(docName) !== handle) {
        doc.destroy();
        return;
      }
      const sliceStartedAt = performance.now();
      try {
        while (folded < target && performance.now() - sliceStartedAt < COMPACTION_SLICE_MS) {
          const to = Math.min(target, folded + COMPACTION_READ_UPDATES);
          const updates = this.statements.selectUpdatesBetween.all(docName, folded, to);
          doc.transact(() => {
            for (const update of updates) Y.applyUpdate(doc, update, this);
          }, this);
          folded = to;
        }
        if (folded < target) {
          busyMs += performance.now() - sliceStartedAt;
          handle = setImmediate(slice).unref();
          this.compactions.set(docName, handle);
          return;
        }
        this.compactions.delete(docName);
        const current = this.statements.selectSnapshot.get(docName)?.upto ?? 0;
        // A compact() call meanwhile already folded these updates.
        if (current !== snapshotUpto) {
          doc.destroy();
          return;
        }
        const data = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        this.db.transaction(() => {
          this.statements.upsertSnapshot.run(docName, data, target);
          this.statements.deleteUpdatesUpTo.run(docName, target);
        }).immediate();
        state.updateCount = state.lastSeq - target;
        this.db.pragma('incremental_vacuum');
        busyMs += performance.now() - sliceStartedAt;
        this.onCompacted?.(docName, busyMs);
      } catch (error) {
        fail(error);
      }
    };
    let handle: NodeJS.Timeout | NodeJS.Immediate = setImmediate(slice).unref();
    this.compactions.set(docName, handle);
  }

  private applyStoredState(docName: string, doc: Y.Doc): void {
    const snapshot = this.statements.selectSnapshot.get(docName);
    const updates = this.statements.selectUpdatesAfter.all(docName, snapshot?.upto ?? 0);
    // One transaction: observers fire once for the whole load, not per update.
    doc.transact(() => {
      if (snapshot) Y.applyUpdate(doc, snapshot.data, this);
      for (const update of updates) Y.applyUpdate(doc, update, this);
    }, this);
  }

  private readDocStates(): void {
    const snapshots = this.db.prepare('SELECT doc, upto FROM snapshots').raw().all() as [string, number][];
    for (const [doc, upto] of snapshots) this.docs.set(doc, { lastSeq: upto, updateCount: 0 });
    const updates = this.db
      .prepare('SELECT doc, max(seq), count(*) FROM updates GROUP BY doc')
      .raw()
      .all() as [string, number, number][];
    for (const [doc, lastSeq, count] of updates) {
      const state = this.docs.get(doc) ?? { lastSeq: 0, updateCount: 0 };
      state.lastSeq = Math.max(state.lastSeq, lastSeq);
      state.updateCount = count;
      this.docs.set(doc, state);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`WorkspaceFile is closed: ${this.path}`);
  }
}

function configureConnection(db: Database.Database, durability: Durability): void {
  // The first statement that reads the file takes the exclusive lock; WAL then keeps
  // its index in process memory, so no -shm file is ever created.
  db.pragma('journal_mode = WAL');
  // FULL (2) syncs the WAL at every commit: an acknowledged update survives a power loss.
  // NORMAL (1) syncs only at checkpoints: it survives a process crash, not a power loss.
  db.pragma(`synchronous = ${SYNCHRONOUS[durability]}`);
  // Many files may be open in one process (the sync server); bound each page cache.
  db.pragma('cache_size = -4000');
  db.pragma('journal_size_limit = 8388608');
}

function createBatch(): PendingBatch {
  let resolve!: () => void;
  let reject!: (error: WorkspaceFileError) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { updates: [], promise, resolve, reject };
}

function toUint8Array(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function syncDirectory(path: string): void {
  // Makes the new file's directory entry durable; directories cannot be fsynced on Windows.
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
