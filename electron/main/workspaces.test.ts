import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile, rename, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boardDocName, INDEX_DOC } from '../../shared/docs';
import type { DocUpdatedEvent } from '../../shared/ipc/contract';
import { WorkspaceIndex } from '../../shared/model/workspace-index';
import { openSettingsStore, type SettingsStore } from './settings-store';
import {
  createWorkspaceService,
  suggestedFileName,
  withWorkspaceExtension,
  type WorkspaceService,
} from './workspaces';

let directory: string;
let settings: SettingsStore;
let broadcasts: Array<[number, DocUpdatedEvent]>;
const services: WorkspaceService[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stratboard-workspaces-'));
  settings = await openSettingsStore(join(directory, 'userData'));
  broadcasts = [];
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  await rm(directory, { recursive: true, force: true });
});

function startService(): WorkspaceService {
  const service = createWorkspaceService({
    recent: settings,
    broadcast: (viewer, event) => broadcasts.push([viewer, event]),
  });
  services.push(service);
  return service;
}

const saveAs = (path: string | null) => vi.fn(async (_suggested: string) => path);
const openAs = (path: string | null) => vi.fn(async () => path);
const input = { name: 'Весенняя сессия', firstBoardTitle: 'Проблемы района' };

function indexOf(state: Uint8Array): WorkspaceIndex {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return new WorkspaceIndex(doc);
}

function textUpdate(base: Uint8Array, text: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const before = Y.encodeStateVector(doc);
  doc.getText('notes').insert(0, text);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('createWorkspace', () => {
  it('saves a new workspace file with its index and first board, and lists it as recent', async () => {
    const service = startService();
    const chooseSavePath = saveAs(join(directory, 'Весна'));

    const ref = await service.createWorkspace(input, chooseSavePath);

    expect(chooseSavePath).toHaveBeenCalledWith('Весенняя сессия.stratboard');
    const path = join(directory, 'Весна.stratboard');
    expect(ref).toEqual({ id: expect.any(String), name: 'Весенняя сессия', location: { kind: 'file', path } });
    expect(existsSync(path)).toBe(true);

    const index = indexOf(await service.loadDoc(ref!.id, INDEX_DOC, 1));
    expect(index.name).toBe('Весенняя сессия');
    const [board] = index.boardList();
    expect(board?.title).toBe('Проблемы района');
    expect(Y.decodeUpdate(await service.loadDoc(ref!.id, boardDocName(board!.id), 1)).structs.length).toBeGreaterThan(0);

    expect(settings.listRecent()).toEqual([{ ...ref, openedAt: expect.any(String) }]);
  });

  it('creates nothing when the user cancels the save dialog', async () => {
    const service = startService();
    expect(await service.createWorkspace(input, saveAs(null))).toBeNull();
    expect(settings.listRecent()).toEqual([]);
  });

  it('never overwrites an existing file', async () => {
    const service = startService();
    const path = join(directory, 'важное.stratboard');
    await writeFile(path, 'чужие данные');
    await expect(service.createWorkspace(input, saveAs(path))).rejects.toMatchObject({ code: 'already-exists' });
    expect(await readFile(path, 'utf8')).toBe('чужие данные');
  });
});

describe('opening workspaces', () => {
  async function createdAndClosed(name = 'Сессия') {
    const first = startService();
    const ref = (await first.createWorkspace({ ...input, name }, saveAs(join(directory, name))))!;
    await first.close();
    return ref;
  }

  it('opens a workspace file chosen by the user, with its name from the index doc', async () => {
    const ref = await createdAndClosed();
    const service = startService();
    expect(await service.openWorkspaceFile(openAs(ref.location.kind === 'file' ? ref.location.path : ''))).toEqual(ref);
  });

  it('returns null when the user cancels the open dialog', async () => {
    expect(await startService().openWorkspaceFile(openAs(null))).toBeNull();
  });

  it('reopens a recent workspace by id and moves it to the top of the list', async () => {
    const older = await createdAndClosed('Первая');
    const newer = await createdAndClosed('Вторая');
    expect(settings.listRecent().map((entry) => entry.id)).toEqual([newer.id, older.id]);

    const service = startService();
    expect(await service.openRecent(older.id)).toEqual(older);
    expect(settings.listRecent().map((entry) => entry.id)).toEqual([older.id, newer.id]);
  });

  it('opens a file only once, also through a symlink or a second request at the same time', async () => {
    const ref = await createdAndClosed();
    const path = ref.location.kind === 'file' ? ref.location.path : '';
    const link = join(directory, 'ссылка.stratboard');
    await symlink(path, link);
    const service = startService();

    const [a, b, c] = await Promise.all([
      service.openWorkspaceFile(openAs(path)),
      service.openWorkspaceFile(openAs(link)),
      service.openRecent(ref.id),
    ]);
    expect(a).toEqual(ref);
    expect(b).toEqual(ref);
    expect(c).toEqual(ref);
  });

  it('refuses a second copy of a workspace that is already open', async () => {
    const ref = await createdAndClosed();
    const path = ref.location.kind === 'file' ? ref.location.path : '';
    const copy = join(directory, 'копия.stratboard');
    await copyFile(path, copy);
    const service = startService();
    await service.openRecent(ref.id);
    await expect(service.openWorkspaceFile(openAs(copy))).rejects.toMatchObject({ code: 'io' });
  });

  it('reports a recent workspace whose file is gone as not found', async () => {
    const ref = await createdAndClosed();
    const path = ref.location.kind === 'file' ? ref.location.path : '';
    await rename(path, `${path}.moved`);
    await expect(startService().openRecent(ref.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports a recent entry whose file now holds another workspace as not found', async () => {
    const first = await createdAndClosed('Первая');
    const second = await createdAndClosed('Вторая');
    const firstPath = first.location.kind === 'file' ? first.location.path : '';
    const secondPath = second.location.kind === 'file' ? second.location.path : '';
    await copyFile(secondPath, firstPath);
    await expect(startService().openRecent(first.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports an unknown recent id as not found', async () => {
    await expect(startService().openRecent('0123456789abcdef')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a file that is not a workspace and leaves it untouched', async () => {
    const path = join(directory, 'notes.stratboard');
    await writeFile(path, 'просто текст');
    await expect(startService().openWorkspaceFile(openAs(path))).rejects.toMatchObject({ code: 'not-a-workspace' });
    expect(await readFile(path, 'utf8')).toBe('просто текст');
  });
});

describe('doc updates', () => {
  async function openWorkspace() {
    const service = startService();
    const ref = (await service.createWorkspace(input, saveAs(join(directory, 'w'))))!;
    return { service, ref };
  }

  it('stores an update durably before resolving', async () => {
    const { service, ref } = await openWorkspace();
    const base = await service.loadDoc(ref.id, INDEX_DOC, 1);
    await service.pushDocUpdate(ref.id, INDEX_DOC, textUpdate(base, 'итоги'), 1);
    await service.close();

    const reopened = startService();
    await reopened.openRecent(ref.id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await reopened.loadDoc(ref.id, INDEX_DOC, 2));
    expect(doc.getText('notes').toString()).toBe('итоги');
  });

  it('flushes updates still in flight when the service closes', async () => {
    const { service, ref } = await openWorkspace();
    const base = await service.loadDoc(ref.id, INDEX_DOC, 1);
    const pushed = service.pushDocUpdate(ref.id, INDEX_DOC, textUpdate(base, 'в последний момент'), 1);
    await service.close();
    await pushed;

    const reopened = startService();
    await reopened.openRecent(ref.id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await reopened.loadDoc(ref.id, INDEX_DOC, 2));
    expect(doc.getText('notes').toString()).toBe('в последний момент');
  });

  it('sends an update to the other renderers showing that doc, not back to its sender', async () => {
    const { service, ref } = await openWorkspace();
    const base = await service.loadDoc(ref.id, INDEX_DOC, 1);
    await service.loadDoc(ref.id, INDEX_DOC, 2);
    const boardDoc = boardDocName(indexOf(base).boardList()[0]!.id);
    await service.loadDoc(ref.id, boardDoc, 3);

    const update = textUpdate(base, 'новое');
    await service.pushDocUpdate(ref.id, INDEX_DOC, update, 1);
    expect(broadcasts).toEqual([[2, { workspaceId: ref.id, docName: INDEX_DOC, update }]]);
  });

  it('stops sending updates to a renderer that is gone', async () => {
    const { service, ref } = await openWorkspace();
    const base = await service.loadDoc(ref.id, INDEX_DOC, 1);
    await service.loadDoc(ref.id, INDEX_DOC, 2);
    service.forgetViewer(2);
    await service.pushDocUpdate(ref.id, INDEX_DOC, textUpdate(base, 'x'), 1);
    expect(broadcasts).toEqual([]);
  });

  it('refuses an update that does not decode, storing nothing', async () => {
    const { service, ref } = await openWorkspace();
    const before = await service.loadDoc(ref.id, INDEX_DOC, 1);
    await expect(service.pushDocUpdate(ref.id, INDEX_DOC, new Uint8Array([255, 255, 255, 255, 255]), 1)).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await service.loadDoc(ref.id, INDEX_DOC, 1)).toEqual(before);
  });

  it('refuses docs of a workspace that is not open', async () => {
    const service = startService();
    await expect(service.loadDoc('0123456789abcdef', INDEX_DOC, 1)).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.pushDocUpdate('0123456789abcdef', INDEX_DOC, new Uint8Array([0, 0]), 1)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('workspace file names', () => {
  it.each([
    ['Весенняя сессия', 'Весенняя сессия.stratboard'],
    ['Итоги: план/факт', 'Итоги план факт.stratboard'],
    ['..\\..\\evil', 'evil.stratboard'],
    ['  ', 'workspace.stratboard'],
    ['a\u0000b', 'a b.stratboard'],
  ])('suggests a safe file name for %j', (name, expected) => {
    expect(suggestedFileName(name)).toBe(expected);
  });

  it('adds the extension only when missing', () => {
    expect(withWorkspaceExtension('/a/b')).toBe('/a/b.stratboard');
    expect(withWorkspaceExtension('/a/b.Stratboard')).toBe('/a/b.Stratboard');
  });
});
