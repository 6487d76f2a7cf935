import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { silentLogger } from '../src/logger';
import { startSyncServer, type SyncServer, type SyncServerOptions } from '../src/server';

export async function makeTempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'stratboard-sync-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function startTestServer(options: Partial<SyncServerOptions> & { dataDir: string }): Promise<SyncServer> {
  return startSyncServer({ logger: silentLogger, ...options });
}

export async function createWorkspace(
  server: Pick<SyncServer, 'url'>,
  input = { name: 'Стратсессия', firstBoardTitle: 'Первая доска' },
  adminKey?: string,
): Promise<{ id: string; name: string }> {
  const response = await fetch(`${server.url}/api/workspaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(adminKey ? { authorization: `Bearer ${adminKey}` } : {}) },
    body: JSON.stringify(input),
  });
  if (response.status !== 201) throw new Error(`create workspace: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; name: string };
}

export function wsUrl(server: Pick<SyncServer, 'url'>): string {
  return `${server.url.replace(/^http/, 'ws')}/sync`;
}

/** A stock y-websocket client, as the browser edition uses it (the token as its `token` param). */
export function connectProvider(server: Pick<SyncServer, 'url'>, room: string, doc = new Y.Doc(), token?: string): WebsocketProvider {
  return new WebsocketProvider(wsUrl(server), room, doc, {
    ...(token ? { params: { token } } : {}),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node has BroadcastChannel: without this, two providers in one process would
    // sync through it and the server would not be tested.
    disableBc: true,
    maxBackoffTime: 200,
  });
}

export function whenSynced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A bare websocket that records every frame, for checking the wire protocol itself. */
export class RawClient {
  readonly messages: Uint8Array[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(
    url: string,
    readonly socket = new WebSocket(url),
  ) {
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => this.messages.push(new Uint8Array(data)));
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      });
    });
  }

  send(message: Uint8Array): void {
    this.socket.send(message);
  }

  async next(matches: (message: Uint8Array) => boolean, timeoutMs = 5_000): Promise<Uint8Array> {
    let found: Uint8Array | undefined;
    await waitFor(() => (found = this.messages.find(matches)) !== undefined, 'a matching message', timeoutMs);
    return found!;
  }

  close(): void {
    this.socket.close();
  }
}

/** The HTTP status with which the server refuses a websocket upgrade, or 101 if it accepts. */
export function upgradeStatus(url: string, protocols?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    // Also fires after a refusal; the promise is settled by then.
    socket.on('error', reject);
  });
}
