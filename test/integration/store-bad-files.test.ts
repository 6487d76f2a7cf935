import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { INDEX_DOC } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { WorkspaceFile, WorkspaceFileError, type WorkspaceFileErrorCode } from '../../shared/node/store';

let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratboard-bad-'));
  path = join(dir, 'workspace.stratboard');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A closed workspace whose index doc holds `entries` keys of about 200 bytes each. */
async function writeWorkspace(target: string, entries: number): Promise<void> {
  const file = WorkspaceFile.create(target, { workspaceId: newId(), name: 'Real workspace' });
  const doc = new Y.Doc();
  const saves: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => saves.push(file.appendUpdate(INDEX_DOC, update)));
  for (let i = 0; i < entries; i++) doc.getMap('m').set(`key${i}`, 'x'.repeat(200));
  await Promise.all(saves);
  await file.close();
}

function fingerprint(target: string) {
  return {
    sha256: createHash('sha256').update(readFileSync(target)).digest('hex'),
    mtimeMs: statSync(target).mtimeMs,
    dirEntries: readdirSync(dir).sort(),
  };
}

/** Opens `target`, expecting the given refusal, and checks that the file and its folder did not change. */
function expectRefusal(target: string, code: WorkspaceFileErrorCode): WorkspaceFileError {
  const before = fingerprint(target);
  let error: unknown;
  try {
    void WorkspaceFile.open(target).close();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(WorkspaceFileError);
  expect(error).toMatchObject({ code, path: target });
  expect(fingerprint(target)).toEqual(before);
  return error as WorkspaceFileError;
}

describe('opening a file that is not a healthy workspace', () => {
  it('refuses a file of random bytes as not-a-workspace', () => {
    writeFileSync(path, randomBytes(64 * 1024));
    expectRefusal(path, 'not-a-workspace');
  });

  it('refuses an empty file as not-a-workspace', () => {
    writeFileSync(path, '');
    expectRefusal(path, 'not-a-workspace');
  });

  it('refuses the SQLite database of another application as not-a-workspace', () => {
    const other = new Database(path);
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi');`);
    other.close();
    expectRefusal(path, 'not-a-workspace');
  });

  it('refuses a workspace cut in half as damaged', async () => {
    await writeWorkspace(path, 2000);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    expect(expectRefusal(path, 'damaged').message).toMatch(/truncated/);
  });

  it('refuses a workspace with overwritten pages as damaged', async () => {
    await writeWorkspace(path, 2000);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    // Garbage over the last pages, which hold updates: only SQLite's check can see it.
    randomBytes(3 * pageSize).copy(bytes, (pages - 3) * pageSize);
    writeFileSync(path, bytes);
    expect(expectRefusal(path, 'damaged').message).toMatch(/quick_check|malformed|corrupt/i);
  });

  it('refuses a workspace written by a newer store schema as newer-schema', async () => {
    await writeWorkspace(path, 10);
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expectRefusal(path, 'newer-schema');
  });

  it('refuses a file with our application id but without the workspace tables as damaged', () => {
    const db = new Database(path);
    db.pragma('application_id = 0x53545242');
    db.pragma('user_version = 1');
    db.exec('CREATE TABLE something (x)');
    db.close();
    expectRefusal(path, 'damaged');
  });

  it('reports a missing file as not-found', () => {
    expect(() => WorkspaceFile.open(path)).toThrow(expect.objectContaining({ code: 'not-found', path }));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('opening a workspace left behind by a crash', () => {
  it('recovers committed updates from the -wal file and leaves a single file after close', async () => {
    const file = WorkspaceFile.create(path, { workspaceId: newId(), name: 'crashed' });
    const doc = new Y.Doc();
    const saves: Promise<void>[] = [];
    doc.on('update', (update: Uint8Array) => saves.push(file.appendUpdate(INDEX_DOC, update)));
    for (let i = 0; i < 100; i++) doc.getMap('m').set(`k${i}`, i);
    await Promise.all(saves);
    // Copying the open file and its -wal gives what a killed process leaves on disk.
    const crashed = join(dir, 'crashed.stratboard');
    copyFileSync(path, crashed);
    copyFileSync(`${path}-wal`, `${crashed}-wal`);
    await file.close();

    const reopened = WorkspaceFile.open(crashed);
    expect(readdirSync(dir).filter((name) => name.endsWith('-shm'))).toEqual([]);
    const loaded = new Y.Doc();
    reopened.loadDoc(INDEX_DOC, loaded);
    expect(loaded.getMap('m').size).toBe(100);
    await reopened.close();
    expect(readdirSync(dir).sort()).toEqual(['crashed.stratboard', 'workspace.stratboard']);
  });

  it('rolls back a write interrupted in rollback-journal mode and opens with the committed content', async () => {
    await writeWorkspace(path, 100);
    // A process killed mid-transaction, after its small page cache spilled into the file.
    const interrupted = spawnSync(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('cache_size = 10');
         db.exec('BEGIN');
         const insert = db.prepare("INSERT INTO updates (doc, seq, data) VALUES ('index', ?, randomblob(200))");
         for (let seq = 1000; seq < 21000; seq++) insert.run(seq);
         process.kill(process.pid, 'SIGKILL');`,
        path,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(interrupted.signal).toBe('SIGKILL');
    expect(readdirSync(dir)).toContain('workspace.stratboard-journal');

    const file = WorkspaceFile.open(path);
    expect(file.updateCount(INDEX_DOC)).toBe(100);
    const loaded = new Y.Doc();
    file.loadDoc(INDEX_DOC, loaded);
    expect(loaded.getMap('m').size).toBe(100);
    await file.close();
    expect(readdirSync(dir)).toEqual(['workspace.stratboard']);
  });

  it('refuses a damaged crashed workspace without touching it or its -wal file', async () => {
    await writeWorkspace(path, 2000);
    const file = WorkspaceFile.open(path);
    await file.appendUpdate(INDEX_DOC, Y.encodeStateAsUpdate(new Y.Doc()));
    const crashed = join(dir, 'crashed.stratboard');
    copyFileSync(path, crashed);
    copyFileSync(`${path}-wal`, `${crashed}-wal`);
    await file.close();

    const bytes = readFileSync(crashed);
    const pageSize = bytes.readUInt16BE(16);
    randomBytes(20 * pageSize).copy(bytes, 10 * pageSize);
    writeFileSync(crashed, bytes);
    const walBefore = createHash('sha256').update(readFileSync(`${crashed}-wal`)).digest('hex');
    expectRefusal(crashed, 'damaged');
    expect(createHash('sha256').update(readFileSync(`${crashed}-wal`)).digest('hex')).toBe(walBefore);
  });
});
