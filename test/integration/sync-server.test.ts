import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { boardDocName, INDEX_DOC, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { createWorkspaceContent } from '../../shared/model/workspace';
import { WorkspaceIndex } from '../../shared/model/workspace-index';
import { WorkspaceFile } from '../../shared/node/store';
import { silentLogger, type LogContext, type Logger } from '../../sync-server/src/logger';
import { messageSync } from '../../sync-server/src/protocol';
import type { SyncServer, SyncServerOptions } from '../../sync-server/src/server';
import { useSyncServers } from '../../sync-server/test-support/harness';
import { updateDeletingAnEmptyRange, updateReferringToLaterItemOfItsClient, updateWithAnEmptyItem } from '../../sync-server/test-support/forged-updates';
import { storeFileAccess, type WorkspaceFileAccess, type WorkspaceStore } from '../../sync-server/src/workspaces';
import {
  createWorkspace,
  sleep,
  upgradeStatus,
  waitFor,
  whenSynced,
  wsUrl,
} from '../../sync-server/test-support/clients';

const harness = useSyncServers();
const start = (options: Partial<SyncServerOptions> = {}) => harness.start(options);
const provider = (server: SyncServer, room: string, doc?: Y.Doc) => harness.provider(server, room, doc);
const raw = (url: string, options?: WebSocket.ClientOptions) => harness.raw(url, options);

function syncStep1(stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** The update carried by a sync step 2 frame, or null for any other frame. */
function syncStep2Update(message: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== messageSync) return null;
  if (decoding.readVarUint(decoder) !== 1) return null;
  return decoding.readVarUint8Array(decoder);
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function isSyncUpdate(message: Uint8Array): boolean {
  return message[0] === messageSync && message[1] === 2;
}

function syncUpdateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

function boardDocNameOf(room: string): string {
  return room.slice(room.indexOf('/') + 1);
}

function boardRoom(workspaceId: string): string {
  return roomName(workspaceId, boardDocName(newId()));
}

/** Two stock clients on one room, both past their first sync. */
async function twoSyncedClients(server: SyncServer, room: string) {
  const clients = [provider(server, room), provider(server, room)] as const;
  await Promise.all(clients.map(whenSynced));
  return clients;
}

describe('sync server with stock y-websocket clients', () => {
  it('lets two clients on one board converge on each other’s edits', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const [alice, bob] = await twoSyncedClients(server, room);

    alice.doc.getText('notes').insert(0, 'Дороги');
    await waitFor(() => bob.doc.getText('notes').toString() === 'Дороги', 'bob to see alice’s edit');
    bob.doc.getText('notes').insert(6, ' и мосты');
    await waitFor(() => alice.doc.getText('notes').toString() === 'Дороги и мосты', 'alice to see bob’s edit');
  });

  it('delivers broadcast updates of every frame length intact: under 126 bytes, under 64 KiB and above', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const [alice, bob] = await twoSyncedClients(server, room);
    const notes = alice.doc.getMap<string>('notes');
    const texts = { short: 'Мост', medium: 'Дорога '.repeat(1_000), long: 'Развязка у вокзала. '.repeat(5_000) };
    for (const [key, text] of Object.entries(texts)) {
      notes.set(key, text);
      await waitFor(() => bob.doc.getMap('notes').get(key) === text, `bob to get the ${key} note`);
    }
    expect(bob.doc.getMap('notes').toJSON()).toEqual(texts);
  });

  it('relays a client’s awareness to the others and removes it when that client leaves', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const room = roomName(id, INDEX_DOC);
    const [alice, bob] = await twoSyncedClients(server, room);

    alice.awareness.setLocalStateField('user', { name: 'Алиса', color: '#2f9e44' });
    const aliceId = alice.doc.clientID;
    await waitFor(() => bob.awareness.getStates().get(aliceId)?.user?.name === 'Алиса', 'bob to see alice’s presence');

    // A connection that drops without saying goodbye: the server must clear its presence.
    alice.shouldConnect = false;
    (alice.ws as unknown as WebSocket).terminate();
    await waitFor(() => !bob.awareness.getStates().has(aliceId), 'alice’s presence to disappear');
  });

  it('keeps an edit across a server restart on the same data directory', async () => {
    const first = await start();
    const { id } = await createWorkspace(first);
    const room = boardRoom(id);
    const [writer, observer] = await twoSyncedClients(first, room);
    writer.doc.getMap('nodes').set('n1', 'Проблема: очереди в поликлинике');
    // The server broadcasts only after committing, so the observer seeing it means it is stored.
    await waitFor(() => observer.doc.getMap('nodes').get('n1') !== undefined, 'the edit to be broadcast');
    await harness.stop(first);

    const second = await start();
    const reader = provider(second, room);
    await whenSynced(reader);
    expect(reader.doc.getMap('nodes').get('n1')).toBe('Проблема: очереди в поликлинике');
  });

  it('in a quiet room stores and relays an update that arrives before the one it depends on, once that one arrives, and an overlapping resend only as what is new', async () => {
    const first = await start();
    const { id } = await createWorkspace(first);
    const room = boardRoom(id);
    const observer = provider(first, room);
    await whenSynced(observer);
    const sender = raw(`${wsUrl(first)}/${room}`);
    await sender.opened;

    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    const title = author.getText('title');
    title.insert(0, 'Очереди');
    title.insert(7, ' в поликлинике');
    title.insert(21, ' №2');

    // The second edit first: the server cannot integrate it, so it relays nothing yet.
    sender.send(syncUpdateFrame(updates[1]!));
    await sleep(60);
    expect(observer.doc.getText('title').toString()).toBe('');
    // The first one completes both; each quiet-room arrival is on its own.
    sender.send(syncUpdateFrame(updates[0]!));
    await waitFor(() => observer.doc.getText('title').toString() === 'Очереди в поликлинике', 'both edits to be relayed');
    await sleep(60);
    // A resend of everything (as after a reconnect) carries only the third edit as new.
    sender.send(syncUpdateFrame(Y.encodeStateAsUpdate(author)));
    await waitFor(() => observer.doc.getText('title').toString() === 'Очереди в поликлинике №2', 'the third edit');
    await harness.stop(first);

    const second = await start();
    const reader = provider(second, room);
    await whenSynced(reader);
    expect(reader.doc.getText('title').toString()).toBe('Очереди в поликлинике №2');
  });

  it('answers the first sync step 1 with the stored state, even while the doc is still loading', async () => {
    const content = createWorkspaceContent({ name: 'Офис', firstBoardTitle: 'Доска' });
    const docName = boardDocName(newId());
    const file = WorkspaceFile.create(`${harness.dataDir}/${content.workspaceId}.stratboard`, {
      workspaceId: content.workspaceId,
      name: content.name,
    });
    const stored = new Y.Doc();
    stored.getText('title').insert(0, 'Сохранённое');
    await file.appendUpdate(docName, Y.encodeStateAsUpdate(stored));
    await file.close();

    const store = storeFileAccess(silentLogger);
    const slowToLoad: WorkspaceFileAccess = {
      open: async (path) => {
        const opened = await store.open(path);
        return delegate(opened, {
          loadDoc: async (name, doc) => {
            await sleep(300);
            await opened.loadDoc(name, doc);
          },
        });
      },
      create: store.create,
    };
    const server = await start({ workspaceFiles: slowToLoad });
    const client = raw(`${wsUrl(server)}/${roomName(content.workspaceId, docName)}`);
    await client.opened;
    client.send(syncStep1());

    const reply = await client.next((message) => syncStep2Update(message) !== null);
    const received = new Y.Doc();
    Y.applyUpdate(received, syncStep2Update(reply)!);
    expect(received.getText('title').toString()).toBe('Сохранённое');
  });

  it.each([
    ['a grouped commit (appendUpdate)', false],
    ['an idle store’s immediate commit (commitUpdateIfIdle)', true],
  ])('never broadcasts an update the store failed to commit, and delivers it once the sender reconnects: %s', async (_path, immediate) => {
    let failNextAppend = false;
    const committed: Uint8Array[] = [];
    const errors: LogContext[] = [];
    const logger: Logger = { ...silentLogger, error: (context) => errors.push(context) };
    const store = storeFileAccess(silentLogger);
    const failedIn: string[] = [];
    const failNow = (method: string) => {
      if (!failNextAppend) return false;
      failNextAppend = false;
      failedIn.push(method);
      return true;
    };
    const failingOnce = (opened: WorkspaceStore): WorkspaceStore =>
      delegate(opened, {
        appendUpdate: async (name, update) => {
          if (failNow('appendUpdate')) throw new Error('disk full');
          await opened.appendUpdate(name, update);
          committed.push(update);
        },
        // Without it (the first case) every update goes through appendUpdate.
        ...(immediate
          ? {
              commitUpdateIfIdle: (name: string, update: Uint8Array) => {
                if (failNow('commitUpdateIfIdle')) throw new Error('disk full');
                const done = opened.commitUpdateIfIdle!(name, update);
                if (done) committed.push(update);
                return done;
              },
            }
          : {}),
      });
    const server = await start({
      logger,
      workspaceFiles: {
        open: async (path) => failingOnce(await store.open(path)),
        create: async (path, meta) => failingOnce(await store.create(path, meta)),
      },
    });
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const [sender, other] = await twoSyncedClients(server, room);

    const contains = (update: Uint8Array, text: string) => Buffer.from(update).includes(text);
    let seenBeforeCommit = false;
    other.doc.on('update', () => {
      const seen = other.doc.getText('notes').toString().includes('секрет');
      if (seen && !committed.some((update) => contains(update, 'секрет'))) seenBeforeCommit = true;
    });
    const closeCodes: number[] = [];
    sender.on('connection-close', (event) => {
      if (event) closeCodes.push(event.code);
    });

    // A quiet room: the immediate path is taken 20 ms after the previous update (the sync step 2s).
    await sleep(50);
    failNextAppend = true;
    sender.doc.getText('notes').insert(0, 'секрет');
    await waitFor(() => closeCodes.length > 0, 'the sender to be disconnected');
    expect(closeCodes[0]).toBe(1011);
    expect(failedIn).toEqual([immediate ? 'commitUpdateIfIdle' : 'appendUpdate']);
    expect(other.doc.getText('notes').toString()).toBe('');
    expect(errors[0]).toMatchObject({ workspaceId: id, room });

    // The sender's provider still holds the edit and sends it again after reconnecting.
    await waitFor(() => other.doc.getText('notes').toString() === 'секрет', 'the edit to arrive after a retry');
    expect(seenBeforeCommit).toBe(false);
  });

  it('keeps an idle room in memory for the idle delay, then unloads it and loads it from the file for the next client', async () => {
    const loads: string[] = [];
    const appends: string[] = [];
    const store = storeFileAccess(silentLogger);
    const counting = (opened: WorkspaceStore) =>
      delegate(opened, {
        loadDoc: (name, doc) => {
          loads.push(name);
          return opened.loadDoc(name, doc);
        },
        appendUpdate: (name, update) => {
          appends.push(name);
          return opened.appendUpdate(name, update);
        },
      });
    const server = await start({
      idleRoomUnloadMs: 400,
      workspaceFiles: {
        open: async (path) => counting(await store.open(path)),
        create: async (path, meta) => counting(await store.create(path, meta)),
      },
    });
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const doc = new Y.Doc();
    const first = provider(server, room, doc);
    await whenSynced(first);
    doc.getText('notes').insert(0, 'Повестка');
    await waitFor(() => appends.length === 3, 'the edit to be committed'); // 2 from creating the workspace
    first.destroy();
    await sleep(100);

    // Back within the idle delay: the room is still loaded.
    // Same doc, so the reconnecting client already holds everything the room has.
    const second = provider(server, room, doc);
    await whenSynced(second);
    expect(loads).toEqual([boardDocNameOf(room)]);
    second.destroy();
    await sleep(700);

    const reader = provider(server, room);
    await whenSynced(reader);
    expect(reader.doc.getText('notes').toString()).toBe('Повестка');
    expect(loads).toEqual([boardDocNameOf(room), boardDocNameOf(room)]);
    // Its sync step 2 carried nothing new, so nothing was written again.
    expect(appends).toHaveLength(3);
  });

  it('reports the workspace name from the index doc after a client renames it', async () => {
    const server = await start();
    const { id } = await createWorkspace(server, { name: 'Черновик', firstBoardTitle: 'Доска' });
    const client = provider(server, roomName(id, INDEX_DOC));
    await whenSynced(client);
    new WorkspaceIndex(client.doc).rename('Стратегия-2030');
    const deadline = Date.now() + 5_000;
    let name = '';
    while (name !== 'Стратегия-2030' && Date.now() < deadline) {
      name = ((await (await fetch(`${server.url}/api/workspaces/${id}`)).json()) as { name: string }).name;
      if (name !== 'Стратегия-2030') await sleep(20);
    }
    expect(name).toBe('Стратегия-2030');
  });

  it('refuses an upgrade to a malformed room name with 400', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    expect(await upgradeStatus(`${wsUrl(server)}/not-a-room`)).toBe(400);
    expect(await upgradeStatus(`${wsUrl(server)}/${id}/board-short`)).toBe(400);
    expect(await upgradeStatus(`${wsUrl(server)}/${id}/index/extra`)).toBe(400);
    expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/elsewhere/${id}/index`)).toBe(404);
  });

  it('refuses an upgrade to a workspace that does not exist with 404', async () => {
    const server = await start();
    expect(await upgradeStatus(`${wsUrl(server)}/${roomName(newId(), INDEX_DOC)}`)).toBe(404);
  });

  it('closes only the connection that sent a malformed message and keeps serving the others', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const [alice, bob] = await twoSyncedClients(server, room);

    const garbageUpdate = raw(`${wsUrl(server)}/${room}`);
    await garbageUpdate.opened;
    garbageUpdate.send(new Uint8Array([messageSync, 2, 4, 0xff, 0xff, 0xff, 0xff]));
    await garbageUpdate.closed;
    expect(garbageUpdate.closeCode).toBe(1003);

    const unknownType = raw(`${wsUrl(server)}/${room}`);
    await unknownType.opened;
    unknownType.send(new Uint8Array([42]));
    await unknownType.closed;
    expect(unknownType.closeCode).toBe(1003);

    const textFrame = raw(`${wsUrl(server)}/${room}`);
    await textFrame.opened;
    textFrame.socket.send('hello');
    await textFrame.closed;
    expect(textFrame.closeCode).toBe(1003);

    alice.doc.getArray('stages').push(['Сбор проблем']);
    await waitFor(() => bob.doc.getArray('stages').length === 1, 'bob to see alice’s edit');
    expect(alice.wsconnected && bob.wsconnected).toBe(true);
  });

  it('closes only the connection whose update decodes but cannot be integrated; the others stay connected and keep syncing', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const room = boardRoom(id);
    const [alice, bob] = await twoSyncedClients(server, room);
    const disconnects: string[] = [];
    alice.on('connection-close', () => disconnects.push('alice'));
    bob.on('connection-close', () => disconnects.push('bob'));
    alice.doc.getArray('stages').push(['Сбор проблем']);
    await waitFor(() => bob.doc.getArray('stages').length === 1, 'bob to see alice’s first edit');

    for (const update of [updateReferringToLaterItemOfItsClient(), updateDeletingAnEmptyRange(), updateWithAnEmptyItem()]) {
      const forger = raw(`${wsUrl(server)}/${room}`);
      await forger.opened;
      forger.send(syncUpdateFrame(update));
      await forger.closed;
      expect(forger.closeCode).toBe(1003);
    }

    bob.doc.getArray('stages').push(['Голосование']);
    await waitFor(() => alice.doc.getArray('stages').length === 2, 'alice to see bob’s edit');
    expect(disconnects).toEqual([]);
    expect(alice.wsconnected && bob.wsconnected).toBe(true);
  });

  it('fans out the updates committed in one transaction as one message, never echoing a sender’s own update', async () => {
    // Holds appends and then commits them together, as the store does with one tick's appends.
    let held: { updates: Array<[string, Uint8Array]>; commit: Promise<void>; release(): void } | null = null;
    let holding = false;
    const store = storeFileAccess(silentLogger);
    const grouping = (opened: WorkspaceStore): WorkspaceStore =>
      delegate(opened, {
        appendUpdate: (name, update) => {
          if (!holding) return opened.appendUpdate(name, update);
          if (!held) {
            let release!: () => void;
            const released = new Promise<void>((resolve) => (release = resolve));
            const updates: Array<[string, Uint8Array]> = [];
            const commit = released.then(() => Promise.all(updates.map(([doc, data]) => opened.appendUpdate(doc, data)))).then(() => undefined);
            held = { updates, commit, release };
          }
          held.updates.push([name, update]);
          return held.commit;
        },
      });
    const server = await start({
      workspaceFiles: {
        open: async (path) => grouping(await store.open(path)),
        create: async (path, meta) => grouping(await store.create(path, meta)),
      },
    });
    const { id } = await createWorkspace(server);
    const url = `${wsUrl(server)}/${boardRoom(id)}`;
    const [anna, boris, viewerOfAll] = [raw(url), raw(url), raw(url)];
    await Promise.all([anna.opened, boris.opened, viewerOfAll.opened]);
    await Promise.all([anna, boris, viewerOfAll].map((client) => client.next((message) => message[0] === messageSync)));

    holding = true;
    const annaDoc = new Y.Doc();
    annaDoc.on('update', (update: Uint8Array) => anna.send(syncUpdateFrame(update)));
    annaDoc.getMap('notes').set('anna-1', 'Первая идея Анны');
    annaDoc.getMap('notes').set('anna-2', 'Вторая идея Анны');
    const borisDoc = new Y.Doc();
    borisDoc.on('update', (update: Uint8Array) => boris.send(syncUpdateFrame(update)));
    borisDoc.getMap('notes').set('boris-1', 'Идея Бориса');
    await waitFor(() => held?.updates.length === 3, 'all three updates to be appended');
    expect([anna, boris, viewerOfAll].flatMap((client) => client.messages.filter(isSyncUpdate))).toEqual([]);
    held!.release();

    const keysIn = async (client: typeof anna) => {
      const [message] = await Promise.all([client.next(isSyncUpdate), sleep(100)]);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, syncUpdateOf(message));
      return { messages: client.messages.filter(isSyncUpdate).length, keys: [...doc.getMap('notes').keys()].sort() };
    };
    expect(await keysIn(viewerOfAll)).toEqual({ messages: 1, keys: ['anna-1', 'anna-2', 'boris-1'] });
    expect(await keysIn(anna)).toEqual({ messages: 1, keys: ['boris-1'] });
    expect(await keysIn(boris)).toEqual({ messages: 1, keys: ['anna-1', 'anna-2'] });
  });

  it('closes a connection that sends a message over the size limit (1009)', async () => {
    const server = await start({ maxMessageBytes: 1024 });
    const { id } = await createWorkspace(server);
    const client = raw(`${wsUrl(server)}/${roomName(id, INDEX_DOC)}`);
    await client.opened;
    client.send(new Uint8Array(2048));
    await client.closed;
    expect(client.closeCode).toBe(1009);
  });

  it('drops a connection that stops answering pings and keeps the ones that answer', async () => {
    const server = await start({ keepAliveMs: 50 });
    const { id } = await createWorkspace(server);
    const url = `${wsUrl(server)}/${roomName(id, INDEX_DOC)}`;
    const silent = raw(url, { autoPong: false });
    const answering = raw(url);
    await Promise.all([silent.opened, answering.opened]);
    await silent.closed;
    await sleep(200);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('tells connected clients to reconnect later (1012) when it shuts down', async () => {
    const server = await start();
    const { id } = await createWorkspace(server);
    const client = raw(`${wsUrl(server)}/${roomName(id, INDEX_DOC)}`);
    await client.opened;
    await server.close();
    await client.closed;
    expect(client.closeCode).toBe(1012);
    expect(client.closeReason).toBe('restart');
  });
});

function delegate(target: WorkspaceStore, overrides: Partial<WorkspaceStore>): WorkspaceStore {
  return {
    get workspaceId() {
      return target.workspaceId;
    },
    get name() {
      return target.name;
    },
    loadDoc: (name, doc) => target.loadDoc(name, doc),
    encodeDocState: (name) => target.encodeDocState(name),
    appendUpdate: (name, update) => target.appendUpdate(name, update),
    flush: () => target.flush(),
    close: () => target.close(),
    ...overrides,
  };
}
