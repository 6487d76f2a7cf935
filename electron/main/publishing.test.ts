import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boardDocName, datasetDocName, INDEX_DOC, roomName } from '../../shared/docs';
import { HostError, type PublicationStatus } from '../../shared/host';
import type { DocUpdatedEvent } from '../../shared/ipc/contract';
import { newId } from '../../shared/ids';
import { parseJoinLink } from '../../shared/links';
import { WorkspaceIndex } from '../../shared/model/workspace-index';
import { silentLogger } from '../../sync-server/src/logger';
import { connectProvider, whenSynced } from '../../sync-server/test-support/clients';
import { startSyncServer, type SyncServer } from '../../sync-server/src/server';
import { createPublishing, type PublishingService } from './publishing';
import { openSettingsStore, type SettingsStore } from './settings-store';
import { createWorkspaceService, type WorkspaceService } from './workspaces';

const secret = new TextEncoder().encode('publishing test secret, long enough!!!!');
const adminKey = 'admin-key-of-the-test-server-0123456789';
const WINDOW = 3;

let directory: string;
let dataDir: string;
let settings: SettingsStore;
let service: WorkspaceService;
let publishing: PublishingService;
let statuses: PublicationStatus[];
let broadcasts: DocUpdatedEvent[];
const cleanups: Array<() => unknown> = [];

async function startServer(port = 0): Promise<SyncServer> {
  const server = await startSyncServer({ dataDir, port, logger: silentLogger, auth: { secret, revocationsFile: null }, adminKey });
  cleanups.push(() => server.close());
  return server;
}

/** The app's main-process services over the settings in `directory` (as on a restart). */
async function startApp(options: { mirrorTokenTtlSeconds?: number } = {}): Promise<void> {
  settings = await openSettingsStore(join(directory, 'userData'));
  // As in electron/main/index.ts: opening a published file resumes its syncing.
  service = createWorkspaceService({
    recent: settings,
    broadcast: (_viewer, event) => broadcasts.push(event),
    onOpened: (workspaceId) => publishing.resume(workspaceId),
  });
  publishing = createPublishing({
    settings,
    workspaces: service,
    onStatus: (status) => statuses.push(status),
    maxBackoffMs: 200,
    maxRetryMs: 300,
    ...options,
  });
}

async function quitApp(): Promise<void> {
  publishing.stopAll();
  await service.close();
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stratboard-publish-'));
  dataDir = join(directory, 'server-data');
  await mkdir(dataDir);
  statuses = [];
  broadcasts = [];
  await startApp();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await quitApp();
  await rm(directory, { recursive: true, force: true });
});

/** A local workspace file with its first board and an imported dataset part, as the app makes them. */
async function localWorkspace(): Promise<{ workspaceId: string; boardDoc: string; datasetDoc: string }> {
  const ref = await service.createWorkspace({ name: 'Проектный офис', firstBoardTitle: 'Идеи' }, async () => join(directory, 'office'));
  const workspaceId = ref!.id;
  const index = new Y.Doc();
  Y.applyUpdate(index, await service.loadDoc(workspaceId, INDEX_DOC, WINDOW));
  const boardDoc = boardDocName(new WorkspaceIndex(index).boardList()[0]!.id);
  const datasetId = newId();
  await edit(workspaceId, INDEX_DOC, (doc) =>
    new WorkspaceIndex(doc).datasets.create({ id: datasetId, title: 'Обращения', kind: 'appeals', importedAt: new Date().toISOString(), rowCount: 1, partIds: [] }),
  );
  await edit(workspaceId, datasetDocName(datasetId), (doc) => doc.getArray('rows').push([{ id: newId(), text: 'Яма на дороге' }]));
  return { workspaceId, boardDoc, datasetDoc: datasetDocName(datasetId) };
}

/** An edit made in the app's window: a change of the doc as the file holds it, pushed over "IPC". */
async function edit(workspaceId: string, docName: string, change: (doc: Y.Doc) => void): Promise<void> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await service.loadDoc(workspaceId, docName, WINDOW));
  const before = Y.encodeStateVector(doc);
  change(doc);
  await service.pushDocUpdate(workspaceId, docName, Y.encodeStateAsUpdate(doc, before), WINDOW);
}

async function fileDoc(workspaceId: string, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await service.loadDoc(workspaceId, docName, WINDOW));
  return doc;
}

/** A stock y-websocket client of the browser edition, joined by an invite link. */
function invitee(link: string, docName: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const parsed = parseJoinLink(link)!;
  const doc = new Y.Doc();
  const provider = connectProvider({ url: parsed.serverUrl }, roomName(parsed.workspaceId, docName), doc, parsed.token!);
  cleanups.push(() => provider.destroy());
  return { doc, provider };
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

async function publishTo(server: SyncServer, workspaceId: string) {
  const connection = await publishing.saveServer({ url: server.url, adminKey });
  await publishing.publish(workspaceId, connection.id);
  await eventually(() => expect(publishing.status(workspaceId)).toMatchObject({ state: 'online', unsynced: 0 }));
  return connection;
}

describe('publishing a local workspace to a sync server', () => {
  it('puts every doc of the file on the server, where an invited editor reads them and its edit lands in the local file and the window', async () => {
    const server = await startServer();
    const { workspaceId, boardDoc, datasetDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    expect(statuses[0]).toMatchObject({ workspaceId, state: 'connecting' });
    expect(statuses.at(-1)).toEqual({ workspaceId, state: 'online', unsynced: 0 });

    const invite = await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600, name: 'Анна' });
    expect(invite).toMatchObject({ role: 'editor', name: 'Анна', revoked: false });
    expect(invite.link).toMatch(new RegExp(`^${server.url}/#/w/${workspaceId}\\?t=`));
    expect(publishing.listInvites(workspaceId).map((entry) => entry.tokenId)).toEqual([invite.tokenId]);

    const index = invitee(invite.link, INDEX_DOC);
    const dataset = invitee(invite.link, datasetDoc);
    const board = invitee(invite.link, boardDoc);
    await Promise.all([index, dataset, board].map((client) => whenSynced(client.provider)));
    expect(new WorkspaceIndex(index.doc).name).toBe('Проектный офис');
    expect(dataset.doc.getArray('rows').toJSON()).toEqual([expect.objectContaining({ text: 'Яма на дороге' })]);
    expect(board.doc.getMap('meta').get('docKind')).toBe('board');

    board.doc.getText('notes').insert(0, 'Парк у реки');
    await eventually(async () => expect((await fileDoc(workspaceId, boardDoc)).getText('notes').toString()).toBe('Парк у реки'));
    expect(broadcasts.some((event) => event.docName === boardDoc)).toBe(true);

    // And the other way: the window's edit reaches the invitee.
    await edit(workspaceId, boardDoc, (doc) => doc.getText('notes').insert(0, 'Модератор: '));
    await eventually(() => expect(board.doc.getText('notes').toString()).toBe('Модератор: Парк у реки'));
  });

  it('brings a board created in the browser into the local file', async () => {
    const server = await startServer();
    const { workspaceId } = await localWorkspace();
    await publishTo(server, workspaceId);
    const link = (await publishing.createInvite(workspaceId, { role: 'facilitator', ttlSeconds: 600 })).link;

    const index = invitee(link, INDEX_DOC);
    await whenSynced(index.provider);
    const added = new WorkspaceIndex(index.doc).addBoard('Из браузера');
    const board = invitee(link, boardDocName(added.id));
    await whenSynced(board.provider);
    board.doc.getText('notes').insert(0, 'с телефона');

    await eventually(async () => expect((await fileDoc(workspaceId, boardDocName(added.id))).getText('notes').toString()).toBe('с телефона'));
    expect(new WorkspaceIndex(await fileDoc(workspaceId, INDEX_DOC)).boardList().map((entry) => entry.title)).toContain('Из браузера');
  });

  it('keeps edits made while the server is down in the file, counts them as unsynced, and merges them on reconnect', async () => {
    let server = await startServer();
    const port = server.port;
    const { workspaceId, boardDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    const link = (await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600 })).link;

    await server.close();
    cleanups.pop();
    await eventually(() => expect(publishing.status(workspaceId)?.state).toBe('offline'));
    await edit(workspaceId, boardDoc, (doc) => doc.getText('notes').insert(0, 'офлайн 1; '));
    await edit(workspaceId, boardDoc, (doc) => doc.getText('notes').insert(0, 'офлайн 2; '));
    expect(publishing.status(workspaceId)).toEqual({ workspaceId, state: 'offline', unsynced: 2 });
    expect((await fileDoc(workspaceId, boardDoc)).getText('notes').toString()).toBe('офлайн 2; офлайн 1; ');

    server = await startServer(port);
    const board = invitee(link, boardDoc);
    await whenSynced(board.provider);
    board.doc.getText('notes').insert(board.doc.getText('notes').length, 'с сервера');

    await eventually(() => expect(publishing.status(workspaceId)).toEqual({ workspaceId, state: 'online', unsynced: 0 }));
    await eventually(async () => {
      const local = (await fileDoc(workspaceId, boardDoc)).getText('notes').toString();
      expect(local).toContain('офлайн 1');
      expect(local).toContain('офлайн 2');
      expect(local).toContain('с сервера');
      expect(board.doc.getText('notes').toString()).toBe(local);
    });
    const states = statuses.map((status) => `${status.state}:${status.unsynced}`);
    expect(states).toContain('offline:2');
    expect(states.indexOf('online:0', states.indexOf('offline:2'))).toBeGreaterThan(0);
  });

  it('resumes syncing when the app reopens the file, merging what both sides changed meanwhile', async () => {
    const server = await startServer();
    const { workspaceId, boardDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    const link = (await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600 })).link;
    const recentId = workspaceId;

    await quitApp();
    const board = invitee(link, boardDoc);
    await whenSynced(board.provider);
    board.doc.getText('notes').insert(0, 'пока приложение закрыто; ');

    await startApp();
    await service.openRecent(recentId);
    await edit(workspaceId, boardDoc, (doc) => doc.getText('notes').insert(0, 'в файле; '));

    await eventually(async () => {
      const local = (await fileDoc(workspaceId, boardDoc)).getText('notes').toString();
      expect(local).toContain('пока приложение закрыто');
      expect(local).toContain('в файле');
      expect(board.doc.getText('notes').toString()).toBe(local);
    });
    await eventually(() => expect(publishing.status(workspaceId)).toEqual({ workspaceId, state: 'online', unsynced: 0 }));
  });

  it('gives a viewer invite no way to write: its edit reaches neither the file nor others', async () => {
    const server = await startServer();
    const { workspaceId, boardDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    const viewerLink = (await publishing.createInvite(workspaceId, { role: 'viewer', ttlSeconds: 3600 })).link;
    const editorLink = (await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600 })).link;
    const viewer = invitee(viewerLink, boardDoc);
    const editor = invitee(editorLink, boardDoc);
    await Promise.all([whenSynced(viewer.provider), whenSynced(editor.provider)]);

    viewer.doc.getText('notes').insert(0, 'от зрителя');
    // The editor's later edit arrives everywhere; the viewer's, sent before it, nowhere.
    await new Promise((resolve) => setTimeout(resolve, 100));
    editor.doc.getText('notes').insert(0, 'от редактора');
    await eventually(async () => expect((await fileDoc(workspaceId, boardDoc)).getText('notes').toString()).toBe('от редактора'));
    expect(editor.doc.getText('notes').toString()).toBe('от редактора');
  });

  it('revokes an invite: its holder is disconnected and the list says so', async () => {
    const server = await startServer();
    const { workspaceId, boardDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    const invite = await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600 });
    const holder = invitee(invite.link, boardDoc);
    await whenSynced(holder.provider);
    const closed = new Promise<number>((resolve) => holder.provider.on('closed', (event: { code: number }) => resolve(event.code)));

    await publishing.revokeInvite(workspaceId, invite.tokenId);
    expect(await closed).toBe(4403);
    expect(publishing.listInvites(workspaceId)[0]).toMatchObject({ tokenId: invite.tokenId, revoked: true });
    expect(publishing.status(workspaceId)?.state).toBe('online');
  });

  it('renews its own token before it runs out and keeps syncing', async () => {
    await quitApp();
    await startApp({ mirrorTokenTtlSeconds: 2 });
    const server = await startServer();
    const { workspaceId, boardDoc } = await localWorkspace();
    await publishTo(server, workspaceId);
    const board = invitee((await publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 3600 })).link, boardDoc);
    await whenSynced(board.provider);

    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await edit(workspaceId, boardDoc, (doc) => doc.getText('notes').insert(0, 'после продления'));
    await eventually(() => expect(board.doc.getText('notes').toString()).toBe('после продления'));
    await eventually(() => expect(publishing.status(workspaceId)).toEqual({ workspaceId, state: 'online', unsynced: 0 }));
  });
});

describe('a published workspace nobody else has open', () => {
  // The stock client drops a connection that received no message for 30 s (checked every 3 s);
  // server pings don't count. Without a presence of its own to renew, the badge blinked offline.
  it('stays online past the client’s 30 s no-message watchdog', async () => {
    const server = await startServer();
    const { workspaceId } = await localWorkspace();
    await publishTo(server, workspaceId);
    const before = statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 36_000));
    expect(statuses.slice(before)).toEqual([]);
  }, 60_000);
});

describe('saved server connections', () => {
  async function refusal(action: Promise<unknown>): Promise<string> {
    const error = await action.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HostError);
    return (error as HostError).code;
  }

  it('refuses a wrong admin key with a translatable code and saves nothing', async () => {
    const server = await startServer();
    expect(await refusal(publishing.saveServer({ url: server.url, adminKey: 'not-the-key' }))).toBe('wrong-admin-key');
    expect(publishing.listServers()).toEqual([]);
  });

  it('refuses addresses that are not servers, unreachable servers and other sites', async () => {
    expect(await refusal(publishing.saveServer({ url: 'ftp://example.org', adminKey }))).toBe('invalid-server-url');
    const site: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => site.close(resolve)));
    const { port } = site.address() as { port: number };
    expect(await refusal(publishing.saveServer({ url: `http://127.0.0.1:${port}`, adminKey }))).toBe('not-a-sync-server');
    const closed = await startServer();
    const closedUrl = closed.url;
    await closed.close();
    cleanups.pop();
    expect(await refusal(publishing.saveServer({ url: closedUrl, adminKey }))).toBe('server-unreachable');
    expect(publishing.listServers()).toEqual([]);
  });

  it('keeps the admin key in the main process: what the renderer sees has only a flag', async () => {
    const server = await startServer();
    const saved = await publishing.saveServer({ url: server.url.replace(/^http/, 'ws') + '/sync', adminKey, label: 'Офис' });
    expect(saved).toEqual({ id: saved.id, url: server.url, label: 'Офис', hasAdminKey: true });
    expect(JSON.stringify(publishing.listServers())).not.toContain(adminKey);
    // The same key again is not needed to change the label…
    expect(await publishing.saveServer({ id: saved.id, url: server.url, label: 'Офис 2' })).toMatchObject({ label: 'Офис 2' });
    // …but the saved key never goes to another address without being typed again.
    const elsewhere: string[] = [];
    const listener: Server = createServer((req, res) => {
      elsewhere.push(req.headers.authorization ?? '');
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid-input"}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => listener.close(resolve)));
    const { port } = listener.address() as { port: number };
    expect(await refusal(publishing.saveServer({ id: saved.id, url: `http://127.0.0.1:${port}` }))).toBe('invalid-input');
    expect(elsewhere).toEqual([]);
    expect(publishing.listServers()).toEqual([expect.objectContaining({ url: server.url, label: 'Офис 2' })]);
  });

  it('takes the server’s longest token lifetime for its own token when it allows less than 12 h', async () => {
    const server = await startSyncServer({ dataDir, logger: silentLogger, auth: { secret, revocationsFile: null, maxTtlSeconds: 3600 }, adminKey });
    cleanups.push(() => server.close());
    const { workspaceId } = await localWorkspace();
    await publishTo(server, workspaceId);
    expect(await refusal(publishing.createInvite(workspaceId, { role: 'editor', ttlSeconds: 7 * 24 * 3600 }))).toBe('invite-ttl-too-long');
  });

  it('reports a server whose admin key changed as offline with the reason, and does not publish', async () => {
    const server = await startServer();
    const { workspaceId } = await localWorkspace();
    const connection = await publishTo(server, workspaceId);
    await server.close();
    cleanups.pop();
    const moved = await startSyncServer({ dataDir, port: server.port, logger: silentLogger, auth: { secret, revocationsFile: null }, adminKey: 'a-new-admin-key-0123456789abcdef' });
    cleanups.push(() => moved.close());
    await quitApp();
    await startApp();
    await service.openRecent(workspaceId);
    await eventually(() => expect(publishing.status(workspaceId)).toMatchObject({ state: 'offline', problem: 'wrong-admin-key' }));
    expect(await refusal(publishing.publish(workspaceId, connection.id))).toBe('wrong-admin-key');
  });
});
