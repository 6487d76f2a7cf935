import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { SyncServer, SyncServerOptions } from '../src/server';
import { RawClient, connectProvider, makeTempDir, startTestServer } from './clients';

/**
 * One temporary data directory per test, and every server, stock client and raw
 * socket a test opens closed after it. Call once at the top of a test file.
 */
export function useSyncServers(defaults: Partial<SyncServerOptions> = {}) {
  let dataDir: Awaited<ReturnType<typeof makeTempDir>> | null = null;
  const servers: SyncServer[] = [];
  const providers: WebsocketProvider[] = [];
  const rawClients: RawClient[] = [];

  beforeEach(async () => {
    dataDir = await makeTempDir();
  });

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const client of rawClients.splice(0)) client.socket.terminate();
    for (const server of servers.splice(0)) await server.close();
    await dataDir?.remove();
    dataDir = null;
  });

  return {
    get dataDir(): string {
      if (!dataDir) throw new Error('useSyncServers: no test is running');
      return dataDir.path;
    },

    async start(options: Partial<SyncServerOptions> = {}): Promise<SyncServer> {
      const server = await startTestServer({ dataDir: this.dataDir, ...defaults, ...options });
      servers.push(server);
      return server;
    },

    /** Disconnects every stock client and closes the server, as a restart would. */
    async stop(server: SyncServer): Promise<void> {
      for (const provider of providers.splice(0)) provider.destroy();
      servers.splice(servers.indexOf(server), 1);
      await server.close();
    },

    /** A stock y-websocket client (with the token as its `token` param when given). */
    provider(server: SyncServer, room: string, doc = new Y.Doc(), token?: string): WebsocketProvider {
      const connected = connectProvider(server, room, doc, token);
      providers.push(connected);
      return connected;
    },

    raw(url: string, options?: WebSocket.ClientOptions): RawClient {
      const client = new RawClient(url, new WebSocket(url, options));
      rawClients.push(client);
      return client;
    },
  };
}
