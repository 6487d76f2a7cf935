import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { idPattern } from '../../ids';
import { toWorkspaceFileError, WorkspaceFileError } from './errors';
import { APPLICATION_ID, STORE_SCHEMA_VERSION, TABLES } from './schema';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_SIZE = 100;

export interface WorkspaceMeta {
  workspaceId: string;
  name: string;
}

/**
 * Checks that `path` is a healthy workspace file of a schema we can read, without
 * writing to it; the one exception is SQLite's own rollback of an interrupted write
 * in a file that carries our application_id. Throws WorkspaceFileError; returns the
 * file's meta otherwise.
 */
export function validateWorkspaceFile(path: string): WorkspaceMeta {
  checkHeader(path);
  try {
    return checkWithSqlite(path);
  } catch (error) {
    const sqliteCode = (error as { cause?: { code?: unknown } }).cause?.code;
    if (sqliteCode !== 'SQLITE_READONLY_ROLLBACK') throw error;
  }
  // A hot rollback journal left by our own interrupted write (creation, or the
  // switch out of WAL on close): no one can read the file until SQLite rolls it back.
  rollBackHotJournal(path);
  checkHeader(path);
  return checkWithSqlite(path);
}

function rollBackHotJournal(path: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 100 });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    throw toWorkspaceFileError(error, path, { during: 'rolling back an interrupted write' });
  } finally {
    db?.close();
  }
}

// The header alone tells most foreign, newer or truncated files apart, before
// SQLite (which may create -wal/-shm files beside a WAL-mode file) touches them.
function checkHeader(path: string): void {
  let size: number;
  const header = Buffer.alloc(HEADER_SIZE);
  let fd: number | undefined;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new WorkspaceFileError('not-a-workspace', path, 'not a regular file');
    size = stat.size;
    fd = openSync(path, 'r');
    readSync(fd, header, 0, HEADER_SIZE, 0);
  } catch (error) {
    throw toWorkspaceFileError(error, path, { during: 'reading the file header' });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }

  if (size < SQLITE_MAGIC.length || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new WorkspaceFileError('not-a-workspace', path, 'not an SQLite database');
  }
  if (size < HEADER_SIZE) throw new WorkspaceFileError('damaged', path, `file is ${size} bytes, shorter than its header`);

  const applicationId = header.readUInt32BE(68);
  if (applicationId !== APPLICATION_ID) {
    throw new WorkspaceFileError('not-a-workspace', path, `application_id is 0x${applicationId.toString(16)}, not a Stratboard workspace`);
  }
  checkSchemaVersion(path, header.readInt32BE(60));

  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw new WorkspaceFileError('damaged', path, `invalid page size ${rawPageSize}`);
  }
  // After a crash, a checkpoint (-wal) or a transaction (-journal) may have been cut
  // short between writing page 1 and resizing the file; only without them must sizes agree.
  if (!existsSync(`${path}-wal`) && !existsSync(`${path}-journal`)) {
    const headerSizeIsValid = header.readUInt32BE(24) === header.readUInt32BE(92);
    const pageCount = header.readUInt32BE(28);
    if (headerSizeIsValid && pageCount > 0 && size < pageCount * pageSize) {
      throw new WorkspaceFileError('damaged', path, `file is truncated: ${size} bytes, header says ${pageCount * pageSize}`);
    }
    if (size % pageSize !== 0) throw new WorkspaceFileError('damaged', path, `size ${size} is not a multiple of the page size ${pageSize}`);
  }
}

function checkSchemaVersion(path: string, version: number): void {
  if (version > STORE_SCHEMA_VERSION) {
    throw new WorkspaceFileError('newer-schema', path, `store schema ${version} is newer than the supported ${STORE_SCHEMA_VERSION}`);
  }
  if (version < 1) throw new WorkspaceFileError('damaged', path, `store schema version ${version} is invalid`);
}

function checkWithSqlite(path: string): WorkspaceMeta {
  // A read-only connection to a WAL-mode file creates -wal/-shm files when they are
  // missing and leaves them behind; remove the ones this check created.
  const sideFiles = [`${path}-wal`, `${path}-shm`].filter((sideFile) => !existsSync(sideFile));
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 100 });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId >>> 0 !== APPLICATION_ID) {
      throw new WorkspaceFileError('not-a-workspace', path, `application_id is 0x${(applicationId >>> 0).toString(16)}`);
    }
    checkSchemaVersion(path, db.pragma('user_version', { simple: true }) as number);

    const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    if (problems.length !== 1 || problems[0]?.quick_check !== 'ok') {
      const summary = problems.slice(0, 3).map((row) => row.quick_check).join('; ');
      throw new WorkspaceFileError('damaged', path, `quick_check: ${summary}`);
    }

    const tables = new Set(
      db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[],
    );
    const missing = TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) throw new WorkspaceFileError('damaged', path, `missing tables: ${missing.join(', ')}`);

    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]).map(([key, value]) => [key, value]),
    );
    const workspaceId = meta.get('workspaceId');
    const name = meta.get('name');
    if (workspaceId === undefined || !idPattern.test(workspaceId)) {
      throw new WorkspaceFileError('damaged', path, `meta has no valid workspaceId (${String(workspaceId)})`);
    }
    if (typeof name !== 'string') throw new WorkspaceFileError('damaged', path, 'meta has no name');
    return { workspaceId, name };
  } catch (error) {
    throw toWorkspaceFileError(error, path, { during: 'validating the workspace file' });
  } finally {
    db?.close();
    for (const sideFile of sideFiles) removeIfCreated(sideFile);
  }
}

function removeIfCreated(sideFile: string): void {
  try {
    // A read-only connection never writes WAL frames, so a -wal it created is empty.
    if (sideFile.endsWith('-wal') && statSync(sideFile).size > 0) return;
    unlinkSync(sideFile);
  } catch {
    // Absent: nothing was created.
  }
}
