import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createIpcImplementation, handleIpc, type IpcImplementation } from '../../electron/main/ipc';
import { openSettingsStore } from '../../electron/main/settings-store';
import { OpenRequests } from '../../electron/main/open-requests';
import { createLanHosting, type LanHostingService } from '../../electron/main/lan-host';
import { createPublishing, type PublishingService } from '../../electron/main/publishing';
import { startSyncServer } from '../../sync-server/src/server';
import { silentLogger } from '../../sync-server/src/logger';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { parseJoinLink } from '../../shared/links';
import { SESSION_ENDED_CLOSE_CODE } from '../../shared/close-codes';
import { peekAccessClaims } from '../../shared/access-token';
import { createWorkspaceService, type WorkspaceService } from '../../electron/main/workspaces';
import { boardDocName, INDEX_DOC } from '../../shared/docs';
import type { Host, PublicationStatus, WorkspaceRef } from '../../shared/host';
import { ipcMethods, type DocUpdatedEvent, type StratboardBridge } from '../../shared/ipc/contract';
import { BoardDoc, WorkspaceIndex } from '../../shared/model';
import { DesktopHost } from '../../renderer/host/desktop-host';

// The desktop data path without Electron: the renderer's DesktopHost talks to the real
// main-process IPC guard, workspace service and SQLite file through a bridge that
// structured-clones every payload as Electron's IPC does.

const APP_PAGE = 'file:///opt/stratboard/out/renderer/index.html';
const author = { name: 'Модератор', color: '#1971c2' };

interface DesktopApp {
  workspaces: WorkspaceService;
  lanHosting: LanHostingService;
  publishing: PublishingService;
  openRequests: OpenRequests;
  window(viewerId: number): Host;
}

async function startDesktopApp(dir: string, savePath: string): Promise<DesktopApp> {
  const settings = await openSettingsStore(join(dir, 'userData'));
  const listeners = new Map<number, Set<(event: DocUpdatedEvent) => void>>();
  const workspaces = createWorkspaceService({
    recent: settings,
    broadcast: (viewer, event) => listeners.get(viewer)?.forEach((listener) => listener(structuredClone(event))),
  });
  const openRequests = new OpenRequests();
  // Loopback stands in for the Wi-Fi address: the same server, the same code path.
  const lanHosting = createLanHosting({ workspaces, logger: silentLogger, addresses: () => [{ name: 'lo', address: '127.0.0.1' }] });
  const statusListeners = new Set<(status: PublicationStatus) => void>();
  const presenceListeners = new Map<number, (event: DocUpdatedEvent) => void>();
  const sendPresence = (event: DocUpdatedEvent, except?: number) => {
    for (const [viewer, listener] of presenceListeners) if (viewer !== except) listener(structuredClone(event));
  };
  const publishing = createPublishing({
    settings,
    workspaces,
    maxBackoffMs: 200,
    onStatus: (status) => statusListeners.forEach((listener) => listener(structuredClone(status))),
    onAwareness: (event) => sendPresence(event),
  });
  const impl: IpcImplementation = createIpcImplementation({
    openRequests,
    settings,
    workspaces,
    chooseSavePath: () => async () => savePath,
    chooseOpenPath: () => async () => savePath,
    // the user picks the exports folder and types a name without the extension
    chooseExportPath: () => async (suggested) => (suggested.startsWith('Отмена') ? null : join(dir, 'exports', 'итоги сессии')),
    allowedExternalHosts: [],
    openExternal: async () => {},
    lanHosting,
    publishing,
    sendAwareness: sendPresence,
  });
  const bridgeFor = (viewerId: number): StratboardBridge => {
    const bridge = Object.fromEntries(
      ipcMethods.map((method) => [
        method,
        (payload: unknown) =>
          handleIpc(method, { id: viewerId, frameUrl: APP_PAGE, isMainFrame: true }, structuredClone(payload), impl, {
            appOrigin: 'file:///opt/stratboard/out/renderer/index.html',
            log: () => {},
          }).then((result) => structuredClone(result)),
      ]),
    ) as unknown as StratboardBridge;
    bridge.onDocUpdated = (listener) => {
      const set = listeners.get(viewerId) ?? new Set();
      set.add(listener);
      listeners.set(viewerId, set);
      return () => set.delete(listener);
    };
    bridge.onAwarenessUpdated = (listener) => {
      presenceListeners.set(viewerId, listener);
      return () => presenceListeners.delete(viewerId);
    };
    bridge.onPublicationStatus = (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    };
    return bridge;
  };
  return { workspaces, lanHosting, publishing, openRequests, window: (viewerId) => new DesktopHost(bridgeFor(viewerId)) };
}

async function openBoard(host: Host, ref: WorkspaceRef) {
  const indexDoc = new Y.Doc();
  const index = host.connectDoc(ref, INDEX_DOC, indexDoc);
  await index.whenLoaded;
  const boardId = new WorkspaceIndex(indexDoc).boardList()[0]!.id;
  const doc = new Y.Doc();
  const connection = host.connectDoc(ref, boardDocName(boardId), doc);
  await connection.whenLoaded;
  return { board: new BoardDoc(doc, 'local'), connection, index, boardTitle: new WorkspaceIndex(indexDoc).boardList()[0]!.title };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the desktop app on a workspace file', () => {
  it('creates a workspace, keeps stickies across a restart and relays them live between windows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const savePath = join(dir, 'Стратсессия.stratboard');

    const app = await startDesktopApp(dir, savePath);
    const first = app.window(1);
    const ref = await first.createWorkspace({ name: 'Стратсессия Ленинского района', firstBoardTitle: 'Доска 1' });
    expect(ref).toMatchObject({ name: 'Стратсессия Ленинского района', location: { kind: 'file', path: savePath } });

    const mine = await openBoard(first, ref!);
    expect(mine.boardTitle).toBe('Доска 1');
    const theirs = await openBoard(app.window(2), ref!);
    for (const text of ['Ямы на дорогах', 'Нет освещения', 'Автобус раз в час']) {
      mine.board.addSticky({ x: 0, y: 0 }, author, 'yellow', text);
    }
    await vi.waitFor(() => expect(theirs.board.nodes.list().map((n) => n.text).sort()).toHaveLength(3));
    expect(mine.connection.state()).toBe('online');
    await app.workspaces.close();

    const restarted = await startDesktopApp(dir, savePath);
    const host = restarted.window(1);
    const recent = await host.listRecent();
    expect(recent.map((entry) => entry.name)).toEqual(['Стратсессия Ленинского района']);
    const reopened = await openBoard(host, await host.openWorkspace(recent[0]!.id));
    expect(reopened.board.nodes.list().map((n) => n.text).sort()).toEqual(['Автобус раз в час', 'Нет освещения', 'Ямы на дорогах']);
    await restarted.workspaces.close();
  });

  it('opens a workspace file the OS hands over, and says so when the file is not a workspace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const savePath = join(dir, 'Проектный офис.stratboard');
    const creator = await startDesktopApp(dir, savePath);
    const ref = await creator.window(1).createWorkspace({ name: 'Проектный офис', firstBoardTitle: 'Доска 1' });
    await creator.workspaces.close();

    const app = await startDesktopApp(join(dir, 'other-user'), savePath);
    const host = app.window(1);
    expect(await host.takeOpenRequest()).toBeNull();
    const notes = join(dir, 'notes.stratboard');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(notes, 'не пространство');
    app.openRequests.push([savePath, notes]);
    expect(await host.takeOpenRequest()).toMatchObject({ id: ref!.id, name: 'Проектный офис' });
    await expect(host.takeOpenRequest()).rejects.toMatchObject({ code: 'not-a-workspace' });
    expect((await host.listRecent()).map((entry) => entry.id)).toEqual([ref!.id]);
    await app.workspaces.close();
  });

  it('reports a file that is not a workspace as such and leaves it alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const notes = join(dir, 'заметки.stratboard');
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(notes, 'Повестка сессии: 1. Проблемы 2. Идеи\n');
    const app = await startDesktopApp(dir, notes);
    await expect(app.window(1).openWorkspaceFile()).rejects.toMatchObject({ code: 'not-a-workspace' });
    expect(readFileSync(notes, 'utf8')).toBe('Повестка сессии: 1. Проблемы 2. Идеи\n');
    expect(await app.window(1).listRecent()).toEqual([]);
  });

  it('saves an exported summary where the user chose, byte for byte, with its extension, and reports a cancel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'exports'));
    const host = (await startDesktopApp(dir, join(dir, 'a.stratboard'))).window(1);
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0xd0, 0x98]);
    expect(await host.saveFile({ name: 'Итоги — Доска 1.pdf', kind: 'pdf', bytes })).toBe(true);
    expect(new Uint8Array(readFileSync(join(dir, 'exports', 'итоги сессии.pdf')))).toEqual(bytes);
    expect(await host.saveFile({ name: 'Отмена.docx', kind: 'docx', bytes })).toBe(false);
    await expect(host.saveFile({ name: '../x.pdf', kind: 'pdf', bytes })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('hosts a LAN session from the window: a participant joins by the link, edits, and is told when it ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const app = await startDesktopApp(dir, join(dir, 'Зал.stratboard'));
    const host = app.window(1);
    const ref = (await host.createWorkspace({ name: 'Сессия в зале', firstBoardTitle: 'Идеи' }))!;
    const mine = await openBoard(host, ref);
    const lan = host.lanHosting!;

    const [address] = await lan.addresses();
    await expect(lan.start(ref.id, '10.9.8.7')).rejects.toMatchObject({ code: 'lan-unavailable' });
    const session = await lan.start(ref.id, address!.address);
    expect(await lan.current(ref.id)).toEqual(session);
    const link = parseJoinLink(await lan.joinLink(ref.id, 'editor'))!;
    expect(link).toMatchObject({ serverUrl: session.url, workspaceId: ref.id });
    expect(peekAccessClaims(link.token!)).toMatchObject({ workspaceId: ref.id, role: 'editor' });

    const phoneDoc = new Y.Doc();
    const boardRoom = `${ref.id}/${boardDocName(new WorkspaceIndex(mine.index.awareness.doc).boardList()[0]!.id)}`;
    const phone = new WebsocketProvider(`${link.serverUrl.replace(/^http/, 'ws')}/sync`, boardRoom, phoneDoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token: link.token! },
    });
    try {
      const phoneBoard = new BoardDoc(phoneDoc, 'phone');
      await vi.waitFor(() => expect(phone.synced).toBe(true));
      phoneBoard.addSticky({ x: 10, y: 10 }, { name: 'Участник', color: '#2f9e44' }, 'pink', 'Велодорожки');
      await vi.waitFor(() => expect(mine.board.nodes.list().map((n) => n.text)).toEqual(['Велодорожки']));
      mine.board.addSticky({ x: 200, y: 10 }, author, 'yellow', 'Вопрос модератора');
      await vi.waitFor(() => expect(phoneBoard.nodes.list()).toHaveLength(2));

      const closed = new Promise<number>((resolve) => phone.on('closed', (event: { code: number }) => resolve(event.code)));
      await lan.stop(ref.id);
      expect(await closed).toBe(SESSION_ENDED_CLOSE_CODE);
      expect(await lan.current(ref.id)).toBeNull();
    } finally {
      phone.destroy();
    }
    await app.workspaces.close();
  });

  it('publishes from the window to a sync server: states arrive as events, an invitee’s sticky reaches the board, a wrong key is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratboard-desktop-'));
    dirs.push(dir);
    const adminKey = 'desktop-host-test-admin-key-0123456789';
    const server = await startSyncServer({
      dataDir: dir,
      logger: silentLogger,
      auth: { secret: new TextEncoder().encode('desktop host test secret, long enough!!'), revocationsFile: null },
      adminKey,
    });
    const app = await startDesktopApp(dir, join(dir, 'Офис.stratboard'));
    const host = app.window(1);
    const phoneDoc = new Y.Doc();
    let phone: WebsocketProvider | undefined;
    try {
      const ref = (await host.createWorkspace({ name: 'Проектный офис', firstBoardTitle: 'План' }))!;
      const mine = await openBoard(host, ref);
      const publishing = host.publishing!;
      const states: string[] = [];
      publishing.onStatus((status) => states.push(`${status.state}:${status.unsynced}`));

      await expect(publishing.saveServer({ url: server.url, adminKey: 'wrong' })).rejects.toMatchObject({ code: 'wrong-admin-key' });
      await expect(publishing.saveServer({ url: 'file:///etc/passwd', adminKey })).rejects.toMatchObject({ code: 'invalid-server-url' });
      const connection = await publishing.saveServer({ url: server.url, adminKey });
      expect(await publishing.listServers()).toEqual([connection]);
      expect(await host.invites!.available(ref)).toBe(false);

      expect(await publishing.publish(ref.id, connection.id)).toMatchObject({ workspaceId: ref.id, serverUrl: server.url });
      await vi.waitFor(() => expect(states.at(-1)).toBe('online:0'));
      expect(states[0]).toBe('connecting:0');
      expect(await host.invites!.available(ref)).toBe(true);

      const invite = await host.invites!.create(ref, { role: 'editor', ttlSeconds: 3600, name: 'Анна' });
      const link = parseJoinLink(invite.link)!;
      const boardRoom = `${ref.id}/${boardDocName(new WorkspaceIndex(mine.index.awareness.doc).boardList()[0]!.id)}`;
      phone = new WebsocketProvider(`${link.serverUrl.replace(/^http/, 'ws')}/sync`, boardRoom, phoneDoc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { token: link.token! },
      });
      const phoneBoard = new BoardDoc(phoneDoc, 'phone');
      await vi.waitFor(() => expect(phone!.synced).toBe(true));
      phoneBoard.addSticky({ x: 10, y: 10 }, { name: 'Анна', color: '#2f9e44' }, 'pink', 'Дорожная карта');
      await vi.waitFor(() => expect(mine.board.nodes.list().map((n) => n.text)).toEqual(['Дорожная карта']));
      mine.board.addSticky({ x: 200, y: 10 }, author, 'yellow', 'Ответ офиса');
      await vi.waitFor(() => expect(phoneBoard.nodes.list()).toHaveLength(2));

      // Presence crosses too: the window's user is on the invitee's screen, and the other way.
      mine.connection.awareness.setLocalStateField('user', { name: 'Модератор', color: '#1971c2' });
      phone!.awareness.setLocalStateField('user', { name: 'Анна', color: '#2f9e44' });
      const names = (states: Map<number, Record<string, unknown>>) =>
        [...states.values()].map((state) => (state.user as { name?: string } | undefined)?.name).filter(Boolean);
      await vi.waitFor(() => expect(names(phone!.awareness.getStates())).toContain('Модератор'));
      await vi.waitFor(() => expect(names(mine.connection.awareness.getStates())).toContain('Анна'));

      await host.invites!.revoke(ref, invite.tokenId);
      expect(await host.invites!.list(ref)).toEqual([expect.objectContaining({ tokenId: invite.tokenId, revoked: true })]);
      await publishing.unpublish(ref.id);
      expect(await publishing.publication(ref.id)).toBeNull();
    } finally {
      phone?.destroy();
      app.publishing.stopAll();
      await app.workspaces.close();
      await server.close();
    }
  });
});
