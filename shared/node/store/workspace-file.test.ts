import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { boardDocName, datasetDocName, INDEX_DOC } from '../../docs';
import { newId } from '../../ids';
import { WorkspaceFile, WorkspaceFileError } from './index';

let dir: string;
let path: string;
const open: WorkspaceFile[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratboard-store-'));
  path = join(dir, 'workspace.stratboard');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((file) => file.close()));
  rmSync(dir, { recursive: true, force: true });
});

function track(file: WorkspaceFile): WorkspaceFile {
  open.push(file);
  return file;
}

function createWorkspace(options: Parameters<typeof WorkspaceFile.create>[2] = {}): WorkspaceFile {
  return track(WorkspaceFile.create(path, { workspaceId: newId(), name: 'Стратсессия 2025' }, options));
}

/** A Y.Doc whose every local change is also sent to the store. */
function editedDoc(file: WorkspaceFile, docName: string): { doc: Y.Doc; saves: Promise<void>[] } {
  const doc = new Y.Doc();
  const saves: Promise<void>[] = [];
  doc.on('update', (update: Uint8Array) => saves.push(file.appendUpdate(docName, update)));
  return { doc, saves };
}

function loaded(file: WorkspaceFile, docName: string): Y.Doc {
  const doc = new Y.Doc();
  file.loadDoc(docName, doc);
  return doc;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WorkspaceFile', () => {
  it('reopens after close with the same workspace id, name and doc content', async () => {
    const file = createWorkspace();
    const { workspaceId } = file;
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('boards').set('a', 'Карта рисков');
    doc.getArray('order').push(['a', 'b']);
    doc.getText('notes').insert(0, 'hello');
    await Promise.all(saves);
    await file.close();

    const reopened = track(WorkspaceFile.open(path));
    expect(reopened.workspaceId).toBe(workspaceId);
    expect(reopened.name).toBe('Стратсессия 2025');
    expect(reopened.listDocs()).toEqual([INDEX_DOC]);
    const content = loaded(reopened, INDEX_DOC);
    expect(content.getMap('boards').toJSON()).toEqual({ a: 'Карта рисков' });
    expect(content.getArray('order').toJSON()).toEqual(['a', 'b']);
    expect(content.getText('notes').toString()).toBe('hello');
  });

  it('commits all appends of one tick in a single transaction', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    for (let i = 0; i < 500; i++) doc.getMap('m').set(`k${i}`, i);
    expect(file.commitCount).toBe(0);
    await Promise.all(saves);
    expect(file.commitCount).toBe(1);

    doc.getMap('m').set('later', true);
    await nextTick();
    doc.getMap('m').set('even later', true);
    await Promise.all(saves);
    expect(file.commitCount).toBe(3);
    expect(file.updateCount(INDEX_DOC)).toBe(502);
  });

  it('commits the appends of an idle file at the end of the current callback, before the next event-loop turn', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    const order: string[] = [];
    setImmediate(() => order.push('next turn'));
    doc.getMap('m').set('a', 1);
    doc.getMap('m').set('b', 2);
    void Promise.all(saves).then(() => order.push('committed'));
    await nextTick();
    expect(order).toEqual(['committed', 'next turn']);
    expect(file.commitCount).toBe(1);
    expect(loaded(file, INDEX_DOC).getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('commits an update at once when idle, and declines without storing it while appends are queued', async () => {
    const file = createWorkspace();
    const update = (key: string) => {
      const doc = new Y.Doc();
      doc.getMap('m').set(key, key);
      return Y.encodeStateAsUpdate(doc);
    };
    expect(file.commitUpdateIfIdle(INDEX_DOC, update('now'))).toBe(true);
    expect(loaded(file, INDEX_DOC).getMap('m').toJSON()).toEqual({ now: 'now' });
    expect(file.commitCount).toBe(1);

    const queued = file.appendUpdate(INDEX_DOC, update('queued'));
    expect(file.commitUpdateIfIdle(INDEX_DOC, update('declined'))).toBe(false);
    await queued;
    expect(loaded(file, INDEX_DOC).getMap('m').toJSON()).toEqual({ now: 'now', queued: 'queued' });
    expect(file.updateCount(INDEX_DOC)).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(file.commitUpdateIfIdle(INDEX_DOC, update('later'))).toBe(true);
    expect(loaded(file, INDEX_DOC).getMap('m').get('later')).toBe('later');
    expect(() => file.commitUpdateIfIdle('not a doc', update('x'))).toThrow(RangeError);
  });

  it('makes an update visible to readers only once its append has resolved', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('x', 1);
    const beforeCommit = new Y.Doc();
    Y.applyUpdate(beforeCommit, file.encodeDocState(INDEX_DOC));
    expect(beforeCommit.getMap('m').get('x')).toBeUndefined();

    await Promise.all(saves);
    const afterCommit = new Y.Doc();
    Y.applyUpdate(afterCommit, file.encodeDocState(INDEX_DOC));
    expect(afterCommit.getMap('m').get('x')).toBe(1);
  });

  it('keeps the content through compaction and resets the update count', async () => {
    const file = createWorkspace({ autoCompactAfter: Infinity });
    const board = boardDocName(newId());
    const { doc, saves } = editedDoc(file, board);
    const text = doc.getText('t');
    for (let i = 0; i < 200; i++) {
      text.insert(text.length, `line ${i}\n`);
      if (i % 3 === 0) text.delete(0, 2);
    }
    await Promise.all(saves);
    expect(file.updateCount(board)).toBe(267);

    file.compact(board);
    expect(file.updateCount(board)).toBe(0);
    expect(loaded(file, board).getText('t').toString()).toBe(text.toString());
    await file.close();
    expect(loaded(track(WorkspaceFile.open(path)), board).getText('t').toString()).toBe(text.toString());
  });

  it('loads a compacted doc together with the updates appended after compaction', async () => {
    const file = createWorkspace({ autoCompactAfter: Infinity });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    const map = doc.getMap('m');
    for (let i = 0; i < 50; i++) map.set(`before${i}`, i);
    map.delete('before0');
    await Promise.all(saves);
    file.compact(INDEX_DOC);

    for (let i = 0; i < 20; i++) map.set(`after${i}`, i);
    map.delete('before1');
    await Promise.all(saves);
    expect(file.updateCount(INDEX_DOC)).toBe(21);
    expect(loaded(file, INDEX_DOC).getMap('m').toJSON()).toEqual(map.toJSON());

    file.compact(INDEX_DOC);
    map.set('last', 'x');
    await Promise.all(saves);
    await file.close();
    const reopened = track(WorkspaceFile.open(path));
    expect(reopened.updateCount(INDEX_DOC)).toBe(1);
    expect(loaded(reopened, INDEX_DOC).getMap('m').toJSON()).toEqual(map.toJSON());
  });

  it('stores several docs of one file independently', async () => {
    const file = createWorkspace({ autoCompactAfter: Infinity });
    const board = boardDocName(newId());
    const dataset = datasetDocName(newId());
    const boardEdits = editedDoc(file, board);
    const datasetEdits = editedDoc(file, dataset);
    boardEdits.doc.getMap('cards').set('c1', 'Проект А');
    datasetEdits.doc.getArray('rows').push([{ id: 1 }, { id: 2 }]);
    datasetEdits.doc.getArray('rows').push([{ id: 3 }]);
    await Promise.all([...boardEdits.saves, ...datasetEdits.saves]);

    file.compact(board);
    expect(file.updateCount(board)).toBe(0);
    expect(file.updateCount(dataset)).toBe(2);
    expect(file.listDocs()).toEqual([board, dataset].sort());
    expect(loaded(file, board).getMap('cards').toJSON()).toEqual({ c1: 'Проект А' });
    expect(loaded(file, dataset).getArray('rows').toJSON()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(loaded(file, dataset).getMap('cards').size).toBe(0);
  });

  it('leaves a Y.Doc untouched when asked to load a doc the file does not hold', () => {
    const file = createWorkspace();
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    file.loadDoc(boardDocName(newId()), doc);
    expect(updates).toBe(0);
    const empty = new Y.Doc();
    Y.applyUpdate(empty, file.encodeDocState('board-unknown'));
    expect(empty.share.size).toBe(0);
  });

  it('applies loaded updates with the store as their origin, in one Yjs transaction', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    for (let i = 0; i < 10; i++) doc.getMap('m').set(`k${i}`, i);
    await Promise.all(saves);

    const target = new Y.Doc();
    const origins: unknown[] = [];
    target.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    file.loadDoc(INDEX_DOC, target);
    expect(origins).toEqual([file]);
  });

  it('encodes a doc state that rebuilds the doc in a fresh Y.Doc', async () => {
    const file = createWorkspace({ autoCompactAfter: Infinity });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);
    file.compact(INDEX_DOC);
    doc.getMap('m').set('b', 2);
    await Promise.all(saves);

    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, file.encodeDocState(INDEX_DOC));
    expect(rebuilt.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
    file.compact(INDEX_DOC);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, file.encodeDocState(INDEX_DOC));
    expect(fromSnapshot.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('compacts a doc in the background once it passes the update threshold', async () => {
    const file = createWorkspace({ autoCompactAfter: 100 });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    for (let i = 0; i < 150; i++) doc.getMap('m').set(`k${i}`, i);
    await Promise.all(saves);
    expect(file.updateCount(INDEX_DOC)).toBe(150);

    await vi.waitFor(() => expect(file.updateCount(INDEX_DOC)).toBe(0));
    doc.getMap('m').set('after', 1);
    await Promise.all(saves);
    expect(file.updateCount(INDEX_DOC)).toBe(1);
    expect(loaded(file, INDEX_DOC).getMap('m').size).toBe(151);
  });

  it('keeps the updates committed while a background compaction is folding, and folds only what came before', async () => {
    const compactions: string[] = [];
    const file = createWorkspace({ autoCompactAfter: 2000, onCompacted: (docName) => compactions.push(docName) });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    const map = doc.getMap<number>('m');
    for (let i = 0; i < 2000; i++) map.set(`k${i}`, i);
    await Promise.all(saves);
    // Commits keep coming, one per tick, while the compaction works through 2,000 updates.
    let during = 0;
    while (compactions.length === 0) {
      map.set(`during${during++}`, during);
      await Promise.all(saves);
    }
    expect(during).toBeGreaterThan(1);
    expect(file.updateCount(INDEX_DOC)).toBeGreaterThan(0);
    expect(file.updateCount(INDEX_DOC)).toBeLessThanOrEqual(during);
    const reopened = loaded(file, INDEX_DOC).getMap<number>('m');
    expect(reopened.size).toBe(2000 + during);
    expect(reopened.get('k1999')).toBe(1999);
    expect(reopened.get(`during${during - 1}`)).toBe(during);
  });

  it('stops a background compaction when the file is closed, leaving every update in place', async () => {
    const backgroundErrors: Error[] = [];
    const file = createWorkspace({ autoCompactAfter: 2000, onBackgroundError: (error) => backgroundErrors.push(error) });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    for (let i = 0; i < 2000; i++) doc.getMap('m').set(`k${i}`, i);
    await Promise.all(saves);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await file.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(backgroundErrors).toEqual([]);

    const reopened = track(WorkspaceFile.open(path));
    expect(loaded(reopened, INDEX_DOC).getMap('m').size).toBe(2000);
  });

  it('refuses to create a workspace where a file already exists, leaving that file alone', () => {
    writeFileSync(path, 'keep me');
    expect(() => WorkspaceFile.create(path, { workspaceId: newId(), name: 'x' })).toThrow(
      expect.objectContaining({ code: 'already-exists', path }),
    );
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['workspace.stratboard']);
  });

  it('refuses a second open of a file that is already open', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);

    const error = captureError(() => WorkspaceFile.open(path));
    expect(error).toBeInstanceOf(WorkspaceFileError);
    expect(error).toMatchObject({ code: 'in-use', path });
    doc.getMap('m').set('b', 2);
    await Promise.all(saves);
    await file.close();
    expect(loaded(track(WorkspaceFile.open(path)), INDEX_DOC).getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('leaves a single file behind after close', async () => {
    const file = createWorkspace();
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);
    expect(readdirSync(dir)).toContain('workspace.stratboard-wal');
    await file.close();
    expect(readdirSync(dir)).toEqual(['workspace.stratboard']);
  });

  it('rejects an append with an invalid doc name, and any append after close', async () => {
    const file = createWorkspace();
    await expect(file.appendUpdate('../etc', new Uint8Array([0, 0]))).rejects.toThrow(/Invalid doc name/);
    await file.close();
    await expect(file.appendUpdate(INDEX_DOC, new Uint8Array([0, 0]))).rejects.toThrow(/closed/);
  });

  it('stores an update as it was when appended, even if the caller reuses the buffer', async () => {
    const file = createWorkspace();
    const source = new Y.Doc();
    source.getMap('m').set('a', 'value');
    const buffer = Y.encodeStateAsUpdate(source);
    const saved = file.appendUpdate(INDEX_DOC, buffer);
    buffer.fill(0);
    await saved;
    expect(loaded(file, INDEX_DOC).getMap('m').get('a')).toBe('value');
  });

  it('commits queued appends on flush without waiting for the next tick', async () => {
    const file = createWorkspace();
    let saved = false;
    void file.appendUpdate(INDEX_DOC, Y.encodeStateAsUpdate(new Y.Doc())).then(() => (saved = true));
    await file.flush();
    expect(file.commitCount).toBe(1);
    expect(file.listDocs()).toEqual([INDEX_DOC]);
    await Promise.resolve();
    expect(saved).toBe(true);
  });
  it('sets PRAGMA synchronous from the durability option: FULL by default, NORMAL for process', async () => {
    const file = createWorkspace();
    expect(file.durability).toBe('fsync');
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);
    await file.close();

    const relaxed = track(WorkspaceFile.open(path, { durability: 'process' }));
    expect(relaxed.durability).toBe('process');
    const edited = editedDoc(relaxed, INDEX_DOC);
    edited.doc.getMap('m').set('b', 2);
    await Promise.all(edited.saves);
    await relaxed.close();
    // The setting belongs to the connection, not the file: a plain open is FULL again.
    const reopened = track(WorkspaceFile.open(path));
    expect(reopened.durability).toBe('fsync');
    expect(loaded(reopened, INDEX_DOC).getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('with process durability syncs the write-ahead log once, in the background, within walSyncMs of a burst of commits', async () => {
    const synced: number[] = [];
    const file = createWorkspace({ durability: 'process', walSyncMs: 40, onWalSynced: (ms) => synced.push(ms) });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    for (const key of ['a', 'b', 'c']) {
      doc.getMap('m').set(key, key);
      await nextTick();
    }
    await Promise.all(saves);
    expect(file.commitCount).toBe(3);
    // The commits resolved without waiting for the disk.
    expect(synced).toHaveLength(0);
    await vi.waitFor(() => expect(synced).toHaveLength(1), { timeout: 2000, interval: 10 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(synced).toHaveLength(1);

    // Quiet: nothing to sync. A later commit starts a new window.
    doc.getMap('m').set('d', 'd');
    await Promise.all(saves);
    await vi.waitFor(() => expect(synced).toHaveLength(2), { timeout: 2000, interval: 10 });
    await file.close();
    expect(loaded(track(WorkspaceFile.open(path)), INDEX_DOC).getMap('m').toJSON()).toEqual({ a: 'a', b: 'b', c: 'c', d: 'd' });
  });

  it('with fsync durability never syncs in the background: each commit was synced before it resolved', async () => {
    const synced: number[] = [];
    const file = createWorkspace({ walSyncMs: 10, onWalSynced: (ms) => synced.push(ms) });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(synced).toHaveLength(0);
  });

  it('closing a process-durability file with a sync due cancels it and reports no error', async () => {
    const errors: unknown[] = [];
    const synced: number[] = [];
    const file = createWorkspace({ durability: 'process', walSyncMs: 20, onWalSynced: (ms) => synced.push(ms), onBackgroundError: (error) => errors.push(error) });
    const { doc, saves } = editedDoc(file, INDEX_DOC);
    doc.getMap('m').set('a', 1);
    await Promise.all(saves);
    await file.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(errors).toEqual([]);
    expect(synced).toHaveLength(0);
    expect(readdirSync(dir)).toEqual(['workspace.stratboard']);
  });

  it('creates a workspace with process durability when asked', () => {
    expect(createWorkspace({ durability: 'process' }).durability).toBe('process');
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
