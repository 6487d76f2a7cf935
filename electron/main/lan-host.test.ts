import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_ENDED_CLOSE_CODE } from '../../shared/close-codes';
import { boardDocName, roomName } from '../../shared/docs';
import { parseJoinLink } from '../../shared/links';
import type { DocUpdatedEvent } from '../../shared/ipc/contract';
import { WorkspaceIndex } from '../../shared/model/workspace-index';
import { silentLogger } from '../../sync-server/src/logger';
import { connectProvider, whenSynced } from '../../sync-server/test-support/clients';
import { openSettingsStore } from './settings-store';
import { lanAddresses, startLanSession, type LanSession } from './lan-host';
import { createWorkspaceService, type WorkspaceService } from './workspaces';

let directory: string;
let service: WorkspaceService;
let broadcasts: Array<[number, DocUpdatedEvent]>;
const cleanups: Array<() => unknown> = [];
const WINDOW = 7;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stratboard-lan-'));
  broadcasts = [];
  service = createWorkspaceService({
    recent: await openSettingsStore(join(directory, 'userData')),
    broadcast: (viewer, event) => broadcasts.push([viewer, event]),
  });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await service.close();
  await rm(directory, { recursive: true, force: true });
});

async function hostedWorkspace(): Promise<{ workspaceId: string; boardDoc: string; session: LanSession }> {
  const ref = await service.createWorkspace({ name: 'Сессия в зале', firstBoardTitle: 'Идеи' }, async () => join(directory, 'hall'));
  const index = new Y.Doc();
  Y.applyUpdate(index, await service.loadDoc(ref!.id, 'index', WINDOW));
  const boardDoc = boardDocName(new WorkspaceIndex(index).boardList()[0]!.id);
  const session = await startLanSession({ workspaces: service, workspaceId: ref!.id, host: '127.0.0.1', logger: silentLogger });
  cleanups.push(() => session.stop());
  return { workspaceId: ref!.id, boardDoc, session };
}

/** A stock y-websocket client that joined by the session's link for this role. */
async function participant(session: LanSession, docName: string, role: 'editor' | 'viewer' = 'editor') {
  const link = parseJoinLink(await session.joinLink(role))!;
  return connectWithToken(link.serverUrl, roomName(link.workspaceId, docName), link.token);
}

function connectWithToken(serverUrl: string, room: string, token: string | undefined): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = connectProvider({ url: serverUrl }, room, doc, token);
  cleanups.push(() => provider.destroy());
  return { doc, provider };
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('notes').toString();
}

describe('a LAN session hosted on the open workspace file', () => {
  it('serves the stored board to a stock client and brings its edit to the desktop window and the file', async () => {
    const { workspaceId, boardDoc, session } = await hostedWorkspace();
    await service.loadDoc(workspaceId, boardDoc, WINDOW);

    const phone = await participant(session, boardDoc);
    await whenSynced(phone.provider);
    expect(phone.doc.getMap('meta').get('docKind')).toBe('board');

    phone.doc.getText('notes').insert(0, 'Парк у реки');
    await eventually(() => expect(textOf(broadcasts.at(-1)?.[1].update ?? new Uint8Array([0, 0]))).toBe('Парк у реки'));
    expect(broadcasts.at(-1)).toEqual([WINDOW, expect.objectContaining({ workspaceId, docName: boardDoc })]);
    expect(textOf(await service.loadDoc(workspaceId, boardDoc, WINDOW))).toBe('Парк у реки');
  });

  it('relays what the desktop window commits to every participant, live', async () => {
    const { workspaceId, boardDoc, session } = await hostedWorkspace();
    const phones = [await participant(session, boardDoc), await participant(session, boardDoc, 'viewer')];
    await Promise.all(phones.map((phone) => whenSynced(phone.provider)));

    const desktop = new Y.Doc();
    Y.applyUpdate(desktop, await service.loadDoc(workspaceId, boardDoc, WINDOW));
    const before = Y.encodeStateVector(desktop);
    desktop.getText('notes').insert(0, 'Тема от модератора');
    await service.pushDocUpdate(workspaceId, boardDoc, Y.encodeStateAsUpdate(desktop, before), WINDOW);

    for (const phone of phones) await eventually(() => expect(phone.doc.getText('notes').toString()).toBe('Тема от модератора'));
  });

  it('refuses a viewer’s edit: it reaches neither the file nor the other participants', async () => {
    const { workspaceId, boardDoc, session } = await hostedWorkspace();
    const viewer = await participant(session, boardDoc, 'viewer');
    const editor = await participant(session, boardDoc, 'editor');
    await Promise.all([whenSynced(viewer.provider), whenSynced(editor.provider)]);
    viewer.doc.getText('notes').insert(0, 'Не должно попасть');
    editor.doc.getText('notes').insert(0, 'Пишет редактор');
    await eventually(async () => expect(textOf(await service.loadDoc(workspaceId, boardDoc, WINDOW))).toBe('Пишет редактор'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(textOf(await service.loadDoc(workspaceId, boardDoc, WINDOW))).toBe('Пишет редактор');
    expect(editor.doc.getText('notes').toString()).toBe('Пишет редактор');
  });

  it('lets in only holders of this session’s links', async () => {
    const { workspaceId, boardDoc, session } = await hostedWorkspace();
    const status = (token?: string) =>
      new Promise<number>((resolve) => {
        const url = `${session.url.replace(/^http/, 'ws')}/sync/${roomName(workspaceId, boardDoc)}${token ? `?token=${token}` : ''}`;
        const socket = new WebSocket(url);
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => {});
      });
    expect(await status()).toBe(401);
    const token = parseJoinLink(await session.joinLink('editor'))!.token!;
    expect(await status(token)).toBe(101);
    expect(await status(`${token.slice(0, -4)}AAAA`)).toBe(401);
    // An earlier session's link (another secret) opens nothing in this one.
    const earlier = await startLanSession({ workspaces: service, workspaceId, host: '127.0.0.1', logger: silentLogger });
    const earlierToken = parseJoinLink(await earlier.joinLink('editor'))!.token!;
    await earlier.stop();
    expect(await status(earlierToken)).toBe(401);
  });

  it('serves only the hosted workspace', async () => {
    const { session, workspaceId } = await hostedWorkspace();
    const token = parseJoinLink(await session.joinLink('editor'))!.token!;
    const response = await fetch(`${session.url}/api/workspaces/AAAAAAAAAAAAAAAA`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).not.toBe(200);
    const own = await fetch(`${session.url}/api/workspaces/${workspaceId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await own.json()).toMatchObject({ id: workspaceId, name: 'Сессия в зале' });
    const create = await fetch(`${session.url}/api/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Чужое', firstBoardTitle: 'Доска' }),
    });
    expect(create.ok).toBe(false);
  });

  it('stopping tells participants the session ended, and the desktop keeps the file open and editable', async () => {
    const { workspaceId, boardDoc, session } = await hostedWorkspace();
    const phone = await participant(session, boardDoc);
    await whenSynced(phone.provider);
    phone.doc.getText('notes').insert(0, 'Успели');
    await eventually(async () => expect(textOf(await service.loadDoc(workspaceId, boardDoc, WINDOW))).toBe('Успели'));
    const closed = new Promise<{ code: number }>((resolve) => phone.provider.on('closed', (event: { code: number }) => resolve(event)));

    await session.stop();

    expect((await closed).code).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(phone.provider.shouldConnect).toBe(false);
    await expect(fetch(`${session.url}/healthz`)).rejects.toThrow();
    const desktop = new Y.Doc();
    Y.applyUpdate(desktop, await service.loadDoc(workspaceId, boardDoc, WINDOW));
    const before = Y.encodeStateVector(desktop);
    desktop.getText('notes').insert(0, 'После сессии: ');
    await service.pushDocUpdate(workspaceId, boardDoc, Y.encodeStateAsUpdate(desktop, before), WINDOW);
    expect(textOf(await service.loadDoc(workspaceId, boardDoc, WINDOW))).toBe('После сессии: Успели');
  });

  it('an address that is not this machine gives a translatable error and leaves the file usable', async () => {
    const ref = await service.createWorkspace({ name: 'Зал', firstBoardTitle: 'Доска' }, async () => join(directory, 'gone'));
    await expect(startLanSession({ workspaces: service, workspaceId: ref!.id, host: '203.0.113.7', logger: silentLogger })).rejects.toMatchObject({
      code: 'lan-unavailable',
    });
    const session = await startLanSession({ workspaces: service, workspaceId: ref!.id, host: '127.0.0.1', logger: silentLogger });
    cleanups.push(() => session.stop());
    expect((await fetch(`${session.url}/healthz`)).status).toBe(200);
  });
});

describe('lanAddresses', () => {
  it('offers non-internal IPv4 addresses only, one per interface address', () => {
    const entry = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
      ({ address, family, internal, netmask: '', mac: '', cidr: null }) as never;
    expect(
      lanAddresses({
        lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
        wlan0: [entry('192.168.1.20', 'IPv4', false), entry('fe80::1', 'IPv6', false)],
        eth0: [entry('10.0.0.5', 'IPv4', false)],
        usb0: [entry('169.254.3.4', 'IPv4', false)],
      }),
    ).toEqual([
      { name: 'wlan0', address: '192.168.1.20' },
      { name: 'eth0', address: '10.0.0.5' },
    ]);
  });
});
