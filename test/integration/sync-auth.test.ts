import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { SignJWT } from 'jose';
import type { WebsocketProvider } from 'y-websocket';
import { boardDocName, INDEX_DOC, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import type { Role } from '../../shared/roles';
import { peekAccessClaims } from '../../shared/access-token';
import { createAuth, Revocations } from '../../sync-server/src/auth';
import { CloseCode } from '../../sync-server/src/connection';
import { messageAuth } from '../../sync-server/src/protocol';
import type { SyncServer, SyncServerOptions } from '../../sync-server/src/server';
import { join } from 'node:path';
import { createWorkspace, sleep, upgradeStatus, waitFor, whenSynced, wsUrl } from '../../sync-server/test-support/clients';
import { useSyncServers } from '../../sync-server/test-support/harness';

const secret = new TextEncoder().encode('test secret, long enough for HS256 keys!!');
const adminKey = 'admin-key-for-tests-0123456789';

const harness = useSyncServers({ auth: { secret, revocationsFile: null }, adminKey });
const start = (options: Partial<SyncServerOptions> = {}) => harness.start(options);

async function token(server: SyncServer, workspaceId: string, role: Role, ttlSeconds = 3600): Promise<string> {
  return (await server.auth!.issue({ workspaceId, role, ttlSeconds })).token;
}

function provider(server: SyncServer, room: string, accessToken: string, doc = new Y.Doc()): WebsocketProvider {
  return harness.provider(server, room, doc, accessToken);
}

/** Resolves with the code the server closed the provider's connection with. */
function nextCloseCode(connected: WebsocketProvider): Promise<number> {
  return new Promise((resolve) => {
    const onClose = (event: CloseEvent | null) => {
      connected.off('connection-close', onClose);
      resolve(event?.code ?? -1);
    };
    connected.on('connection-close', onClose);
  });
}

function syncUrl(server: SyncServer, room: string, accessToken?: string): string {
  return `${wsUrl(server)}/${room}${accessToken ? `?token=${encodeURIComponent(accessToken)}` : ''}`;
}

function boardRoom(workspaceId: string): string {
  return roomName(workspaceId, boardDocName(newId()));
}

function api(server: SyncServer, method: string, path: string, credential?: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('sync server with tokens', () => {
  it('lets two editors converge and issues tokens whose claims the client can read', async () => {
    const server = await start();
    const { id } = await createWorkspace(server, undefined, adminKey);
    const room = boardRoom(id);
    const aliceToken = await token(server, id, 'editor');
    expect(peekAccessClaims(aliceToken)).toMatchObject({ workspaceId: id, role: 'editor' });
    const alice = provider(server, room, aliceToken);
    const bob = provider(server, room, await token(server, id, 'facilitator'));
    await Promise.all([whenSynced(alice), whenSynced(bob)]);

    alice.doc.getText('notes').insert(0, 'Дороги');
    await waitFor(() => bob.doc.getText('notes').toString() === 'Дороги', 'bob to see alice’s edit');
    bob.doc.getText('notes').insert(6, ' и мосты');
    await waitFor(() => alice.doc.getText('notes').toString() === 'Дороги и мосты', 'alice to see bob’s edit');
  });

  it('refuses a viewer’s edit with permission-denied and keeps it out of other clients and the file', async () => {
    const first = await start();
    const { id } = await createWorkspace(first, undefined, adminKey);
    const room = boardRoom(id);
    const editor = provider(first, room, await token(first, id, 'editor'));
    const viewerDoc = new Y.Doc();
    const viewer = provider(first, room, await token(first, id, 'viewer'), viewerDoc);
    await Promise.all([whenSynced(editor), whenSynced(viewer)]);

    // The viewer sees everything live.
    editor.doc.getMap('nodes').set('n1', 'Проблема');
    await waitFor(() => viewerDoc.getMap('nodes').get('n1') === 'Проблема', 'the viewer to see the editor’s edit');
    // …and its presence reaches the others.
    viewer.awareness.setLocalStateField('user', { name: 'Зритель' });
    await waitFor(() => editor.awareness.getStates().get(viewerDoc.clientID)?.user?.name === 'Зритель', 'the editor to see the viewer’s presence');

    // A raw viewer socket shows the refusal on the wire.
    const raw = harness.raw(syncUrl(first, room, await token(first, id, 'viewer')));
    await raw.opened;
    const forged = new Y.Doc();
    forged.getMap('nodes').set('forged', 'от зрителя');
    const update = Y.encodeStateAsUpdate(forged);
    raw.send(new Uint8Array([0, 2, ...encodeVarUint8Array(update)]));
    const denied = await raw.next((message) => message[0] === messageAuth);
    const decoder = decoding.createDecoder(denied);
    decoding.readVarUint(decoder);
    expect(decoding.readVarUint(decoder)).toBe(0); // permission denied
    expect(decoding.readVarString(decoder)).toMatch(/read-only/);
    expect(raw.closeCode).toBeNull(); // refused, not disconnected: the viewer keeps watching
    // An update that does not decode is a bad message, from a viewer as from anyone.
    const garbling = harness.raw(syncUrl(first, room, await token(first, id, 'viewer')));
    await garbling.opened;
    garbling.send(new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff]));
    await garbling.closed;
    expect(garbling.closeCode).toBe(1003);

    // The stock viewer's own edit stays local; its provider reports the refusal.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    viewerDoc.getMap('nodes').set('n2', 'правка зрителя');
    await waitFor(() => warn.mock.calls.some(([text]) => String(text).startsWith('Permission denied')), 'the viewer’s provider to be told');
    warn.mockRestore();
    editor.doc.getMap('nodes').set('n3', 'после');
    await waitFor(() => viewerDoc.getMap('nodes').get('n3') === 'после', 'the viewer to keep receiving');
    expect(editor.doc.getMap('nodes').has('n2')).toBe(false);
    expect(editor.doc.getMap('nodes').has('forged')).toBe(false);

    raw.socket.terminate();
    await harness.stop(first);
    const second = await start();
    const reader = provider(second, room, await token(second, id, 'editor'));
    await whenSynced(reader);
    expect(reader.doc.getMap('nodes').toJSON()).toEqual({ n1: 'Проблема', n3: 'после' });
  });

  it('refuses upgrades without a token, with a bad signature, expired, revoked or for another workspace', async () => {
    const server = await start();
    const { id } = await createWorkspace(server, undefined, adminKey);
    const { id: otherId } = await createWorkspace(server, { name: 'Другое', firstBoardTitle: 'Доска' }, adminKey);
    const room = boardRoom(id);
    const good = await token(server, id, 'editor');

    expect(await upgradeStatus(syncUrl(server, room, good))).toBe(101);
    expect(await upgradeStatus(syncUrl(server, room))).toBe(401);
    expect(await upgradeStatus(syncUrl(server, room, 'not-a-token'))).toBe(401);

    const otherSecret = new TextEncoder().encode('another secret that is also long enough!!');
    const forged = (await createAuth({ secret: otherSecret }).issue({ workspaceId: id, role: 'facilitator', ttlSeconds: 3600 })).token;
    expect(await upgradeStatus(syncUrl(server, room, forged))).toBe(401);

    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ws: id, role: 'editor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .setJti('expired-token')
      .sign(secret);
    expect(await upgradeStatus(syncUrl(server, room, expired))).toBe(401);

    expect(await upgradeStatus(syncUrl(server, room, await token(server, otherId, 'facilitator')))).toBe(403);

    const revoked = await server.auth!.issue({ workspaceId: id, role: 'editor', ttlSeconds: 3600 });
    await server.auth!.revoke(revoked.tokenId, revoked.expiresAt);
    expect(await upgradeStatus(syncUrl(server, room, revoked.token))).toBe(403);

    // The token may also travel as a websocket subprotocol.
    expect(await upgradeStatus(syncUrl(server, room), ['stratboard', good])).toBe(101);
    expect(await upgradeStatus(syncUrl(server, room), ['stratboard', forged])).toBe(401);
  });

  it('closes a live connection with 4401 when its token expires, and the stock client stops reconnecting', async () => {
    const server = await start();
    const { id } = await createWorkspace(server, undefined, adminKey);
    const connected = provider(server, boardRoom(id), await token(server, id, 'editor', 2));
    await whenSynced(connected);
    const closedForGood = new Promise<number>((resolve) => connected.once('closed', (event) => resolve(event.code)));
    expect(await nextCloseCode(connected)).toBe(CloseCode.tokenExpired);
    expect(await closedForGood).toBe(4401);
    await sleep(300);
    expect(connected.wsconnected || connected.wsconnecting).toBe(false);
  });

  it('closes each live connection when its own token expires, soonest first, whatever order they joined in', async () => {
    // One server-wide timer serves every connection's expiry: a connection that joins
    // later but expires sooner must move it earlier, and each sweep sets the next one.
    const server = await start({ keepAliveMs: 60_000 });
    const { id } = await createWorkspace(server, undefined, adminKey);
    const room = boardRoom(id);
    const keeper = provider(server, room, await token(server, id, 'editor'));
    const later = provider(server, room, await token(server, id, 'editor', 6));
    await Promise.all([whenSynced(keeper), whenSynced(later)]);
    const sooner = provider(server, room, await token(server, id, 'viewer', 2));
    await whenSynced(sooner);
    const closedAt = new Map<string, number>();
    const closes = [sooner, later].map((connected, index) =>
      nextCloseCode(connected).then((code) => {
        closedAt.set(index === 0 ? 'sooner' : 'later', Date.now());
        return code;
      }),
    );
    expect(await closes[0]).toBe(CloseCode.tokenExpired);
    expect(later.wsconnected).toBe(true);
    expect(await closes[1]).toBe(CloseCode.tokenExpired);
    // Expiries are whole seconds apart: one sweep closing both would show no gap.
    expect(closedAt.get('later')! - closedAt.get('sooner')!).toBeGreaterThanOrEqual(900);
    expect(keeper.wsconnected).toBe(true);
  });

  it('closes live connections with 4403 when their token is revoked, by the API or by the CLI’s file', async () => {
    const revocationsFile = join(harness.dataDir, 'revoked-tokens.json');
    const server = await start({ auth: { secret, revocationsFile }, revocationPollMs: 50 });
    const { id } = await createWorkspace(server, undefined, adminKey);
    const room = boardRoom(id);

    const byApi = await server.auth!.issue({ workspaceId: id, role: 'editor', ttlSeconds: 3600 });
    const keeper = provider(server, room, await token(server, id, 'editor'));
    const revokedByApi = provider(server, room, byApi.token);
    await Promise.all([whenSynced(keeper), whenSynced(revokedByApi)]);
    const apiClose = nextCloseCode(revokedByApi);
    const response = await api(server, 'POST', '/api/tokens/revoke', adminKey, { tokenId: byApi.tokenId });
    expect(response.status).toBe(200);
    expect(await apiClose).toBe(CloseCode.tokenRevoked);

    // What `stratboard-server revoke` does: another process adds to the file.
    const byCli = await server.auth!.issue({ workspaceId: id, role: 'viewer', ttlSeconds: 3600 });
    const revokedByCli = provider(server, room, byCli.token);
    await whenSynced(revokedByCli);
    const cliClose = nextCloseCode(revokedByCli);
    await new Revocations(revocationsFile).add(byCli.tokenId, byCli.expiresAt);
    expect(await cliClose).toBe(CloseCode.tokenRevoked);

    // The other editor is untouched, and the revocations survive a restart.
    keeper.doc.getText('t').insert(0, 'жив');
    expect(keeper.wsconnected).toBe(true);
    await harness.stop(server);
    const restarted = await start({ auth: { secret, revocationsFile } });
    expect(await upgradeStatus(syncUrl(restarted, room, byApi.token))).toBe(403);
    expect(await upgradeStatus(syncUrl(restarted, room, byCli.token))).toBe(403);
  });
});

describe('workspace and token API with auth on', () => {
  it('publishes a workspace under a given id with the admin key, and issues tokens for it', async () => {
    const server = await start();
    const workspaceId = newId();
    expect((await api(server, 'PUT', `/api/workspaces/${workspaceId}`, undefined, { name: 'Из приложения' })).status).toBe(401);
    expect((await api(server, 'PUT', `/api/workspaces/${workspaceId}`, 'wrong-admin-key-000000', { name: 'x' })).status).toBe(401);
    const created = await api(server, 'PUT', `/api/workspaces/${workspaceId}`, adminKey, { name: 'Из приложения' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: workspaceId, name: 'Из приложения' });
    // Publishing again is harmless.
    expect((await api(server, 'PUT', `/api/workspaces/${workspaceId}`, adminKey, { name: 'Из приложения' })).status).toBe(200);

    const issued = await api(server, 'POST', '/api/tokens', adminKey, { workspaceId, role: 'facilitator', ttlSeconds: 600 });
    expect(issued.status).toBe(201);
    const { token: facilitator, tokenId, expiresAt } = (await issued.json()) as { token: string; tokenId: string; expiresAt: number };
    expect(peekAccessClaims(facilitator)).toEqual({ workspaceId, role: 'facilitator', expiresAt, tokenId });

    // The publishing app syncs its docs in over a websocket with that token.
    const desktop = new Y.Doc();
    desktop.getMap('meta').set('name', 'Из приложения');
    const publisher = provider(server, roomName(workspaceId, INDEX_DOC), facilitator, desktop);
    await whenSynced(publisher);

    // A facilitator hands out tokens for its own workspace only; an editor can't.
    const forViewer = await api(server, 'POST', '/api/tokens', facilitator, { workspaceId, role: 'viewer', ttlSeconds: 600, name: 'Зал' });
    expect(forViewer.status).toBe(201);
    const viewerToken = ((await forViewer.json()) as { token: string }).token;
    expect(peekAccessClaims(viewerToken)?.role).toBe('viewer');
    const editorToken = await token(server, workspaceId, 'editor');
    expect((await api(server, 'POST', '/api/tokens', editorToken, { workspaceId, role: 'viewer', ttlSeconds: 600 })).status).toBe(403);
    const { id: otherId } = await createWorkspace(server, undefined, adminKey);
    expect((await api(server, 'POST', '/api/tokens', facilitator, { workspaceId: otherId, role: 'viewer', ttlSeconds: 600 })).status).toBe(403);
    expect((await api(server, 'POST', '/api/tokens', adminKey, { workspaceId, role: 'owner', ttlSeconds: 600 })).status).toBe(400);
    expect((await api(server, 'POST', '/api/tokens', adminKey, { workspaceId: newId(), role: 'viewer', ttlSeconds: 600 })).status).toBe(404);
    expect((await api(server, 'POST', '/api/tokens/revoke', facilitator, { tokenId })).status).toBe(403);
  });

  it('needs a token of the workspace to read it, and the admin key to create one', async () => {
    const server = await start();
    expect((await api(server, 'POST', '/api/workspaces', undefined, { name: 'x', firstBoardTitle: 'y' })).status).toBe(401);
    const { id } = await createWorkspace(server, undefined, adminKey);
    const { id: otherId } = await createWorkspace(server, { name: 'Другое', firstBoardTitle: 'Доска' }, adminKey);
    expect((await api(server, 'GET', `/api/workspaces/${id}`)).status).toBe(401);
    expect((await api(server, 'GET', `/api/workspaces/${id}`, await token(server, otherId, 'facilitator'))).status).toBe(403);
    const read = await api(server, 'GET', `/api/workspaces/${id}`, await token(server, id, 'viewer'));
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id, name: 'Стратсессия' });
    // Browsers may call the API from another origin (the desktop app) with a bearer token.
    const preflight = await fetch(`${server.url}/api/tokens`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('runs open without a secret: no token needed, and the token API says auth is off', async () => {
    const server = await start({ auth: undefined, adminKey: undefined });
    expect(server.auth).toBeNull();
    const { id } = await createWorkspace(server);
    expect(await upgradeStatus(syncUrl(server, boardRoom(id)))).toBe(101);
    expect((await api(server, 'GET', `/api/workspaces/${id}`)).status).toBe(200);
    expect((await api(server, 'POST', '/api/tokens', undefined, { workspaceId: id, role: 'viewer', ttlSeconds: 60 })).status).toBe(501);
  });
});

function encodeVarUint8Array(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let length = bytes.length;
  while (length > 0x7f) {
    out.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  out.push(length);
  return [...out, ...bytes];
}
