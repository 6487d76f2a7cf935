import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { SESSION_ENDED_CLOSE_CODE } from '../../shared/close-codes';
import { roomName } from '../../shared/docs';
import { SyncStatusTracker, type SyncStatus } from '../../shared/sync-status';
import {
  connectProvider,
  createWorkspace,
  makeTempDir,
  startTestServer,
  waitFor,
  whenSynced,
} from '../../sync-server/test-support/clients';
import type { SyncServer } from '../../sync-server/src/server';

// The connection badge's numbers, against the real server and the stock client.

const CACHE = Symbol('cache');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWithBoard(): Promise<{ server: SyncServer; room: string }> {
  const dir = await makeTempDir();
  const server = await startTestServer({ dataDir: dir.path });
  cleanups.push(() => dir.remove(), () => server.close());
  const { id } = await createWorkspace(server);
  return { server, room: roomName(id, 'index') };
}

function trackedClient(server: SyncServer, room: string) {
  const doc = new Y.Doc();
  const provider = connectProvider(server, room, doc);
  const tracker = new SyncStatusTracker(provider, doc, { isLocalChange: (origin) => origin !== CACHE });
  const seen: SyncStatus[] = [];
  tracker.onChange((status) => seen.push(status));
  cleanups.push(() => {
    tracker.destroy();
    provider.destroy();
  });
  return { doc, provider, tracker, seen };
}

function otherClient(server: SyncServer, room: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = connectProvider(server, room, doc);
  cleanups.push(() => provider.destroy());
  return { doc, provider };
}

describe('SyncStatusTracker', () => {
  it('is online with nothing unsynced once the first sync is done', async () => {
    const { server, room } = await serverWithBoard();
    const client = trackedClient(server, room);
    expect(client.tracker.status()).toEqual({ state: 'connecting', unsynced: 0 });
    await whenSynced(client.provider);
    await waitFor(() => client.tracker.status().state === 'online', 'online');
    expect(client.tracker.status()).toEqual({ state: 'online', unsynced: 0 });
  });

  it('counts an online edit as syncing until the server acknowledges it, then online again', async () => {
    const { server, room } = await serverWithBoard();
    const client = trackedClient(server, room);
    await whenSynced(client.provider);
    client.doc.getText('notes').insert(0, 'Повестка');
    expect(client.tracker.status()).toEqual({ state: 'syncing', unsynced: 1 });
    await waitFor(() => client.tracker.status().unsynced === 0, 'the acknowledgement');
    expect(client.tracker.status().state).toBe('online');
    const late = otherClient(server, room);
    await whenSynced(late.provider);
    expect(late.doc.getText('notes').toString()).toBe('Повестка');
  });

  it('counts edits made offline, keeps them across the outage and clears them after the reconnect', async () => {
    const { server, room } = await serverWithBoard();
    const client = trackedClient(server, room);
    const other = otherClient(server, room);
    await Promise.all([whenSynced(client.provider), whenSynced(other.provider)]);

    client.provider.disconnect();
    client.tracker.refresh();
    for (const word of ['раз ', 'два ', 'три ']) client.doc.getText('notes').insert(0, word);
    expect(client.tracker.status()).toEqual({ state: 'offline', unsynced: 3 });
    expect(other.doc.getText('notes').toString()).toBe('');

    client.provider.connect();
    await waitFor(() => client.tracker.status().state === 'online', 'back online');
    expect(client.tracker.status().unsynced).toBe(0);
    expect(client.seen.some((status) => status.state === 'syncing' && status.unsynced === 3)).toBe(true);
    await waitFor(() => other.doc.getText('notes').length === 12, 'the offline edits at the other client');
    expect(other.doc.getText('notes').toString()).toBe('три два раз ');
  });

  it('does not count state loaded from a local cache or received from the server', async () => {
    const { server, room } = await serverWithBoard();
    const other = otherClient(server, room);
    await whenSynced(other.provider);
    other.doc.getText('notes').insert(0, 'с сервера');

    const client = trackedClient(server, room);
    const cached = new Y.Doc();
    cached.getText('cached').insert(0, 'из кэша');
    Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(cached), CACHE);
    await whenSynced(client.provider);
    await waitFor(() => client.doc.getText('notes').toString() === 'с сервера', 'the server edit');
    expect(client.tracker.status()).toEqual({ state: 'online', unsynced: 0 });
  });

  it('says the session ended when the server closes with the session-ended code', async () => {
    const { server, room } = await serverWithBoard();
    const client = trackedClient(server, room);
    await whenSynced(client.provider);
    await server.close({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session-ended' });
    await waitFor(() => client.tracker.status().state === 'ended', 'ended');
  });

  it('shows offline, not ended, when the server restarts', async () => {
    const { server, room } = await serverWithBoard();
    const client = trackedClient(server, room);
    await whenSynced(client.provider);
    await server.close();
    await waitFor(() => client.tracker.status().state === 'offline', 'offline');
  });
});
