import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { parseRoomName, roomName } from '../../shared/docs';
import type { Id } from '../../shared/ids';
import { storeRoomBackends, type RoomBackends } from './backend';
import { CloseCode, Connection } from './connection';
import { createApiHandler, sendJson, sendText } from './http';
import { consoleLogger, type Logger } from './logger';
import { Room } from './room';
import { createStaticHandler } from './static';
import { WorkspaceFiles, isWorkspaceFileError, storeFileAccess, type WorkspaceFileAccess } from './workspaces';

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
// Well inside the stock client's 30 s "no message received" watchdog.
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
const CLOSE_GRACE_MS = 2_000;
const SYNC_PATH = '/sync/';

export interface SyncServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Folder holding one `<workspaceId>.stratboard` file per workspace. */
  dataDir: string;
  /** The built browser edition (out/web); without it only the API and sync are served. */
  staticDir?: string;
  logger?: Logger;
  /** Largest websocket message accepted; bigger ones close the connection (1009). */
  maxMessageBytes?: number;
  keepAliveMs?: number;
  /** How workspace files are opened and created; the store by default. */
  workspaceFiles?: WorkspaceFileAccess;
  /** How rooms persist and share updates; the workspace store alone by default. */
  roomBackends?: RoomBackends;
}

export interface SyncServer {
  /** e.g. http://127.0.0.1:8787 (no trailing slash); websockets at `${url}/sync`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes clients with 1012, waits for commits and closes the files. */
  close(): Promise<void>;
}

interface RoomAddress {
  workspaceId: Id;
  docName: string;
}

type UpgradeDecision = { allowed: true } | { allowed: false; status: number; error: string };

/**
 * Who may open this room. Everyone today; the JWT check (workspace, role, expiry)
 * goes here, before the upgrade, so a refused client never gets a socket.
 */
function authorizeUpgrade(_request: IncomingMessage, _room: RoomAddress): Promise<UpgradeDecision> {
  return Promise.resolve({ allowed: true });
}

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const files = new WorkspaceFiles(options.dataDir, options.workspaceFiles ?? storeFileAccess(logger));
  const backends = options.roomBackends ?? storeRoomBackends;
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  const handleApi = createApiHandler(files, logger);
  const handleStatic = createStaticHandler(options.staticDir);
  let closing: Promise<void> | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });

  const httpServer: Server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const handled = (async () => {
      if (pathname === '/healthz') return sendText(res, 200, 'ok');
      if (pathname === '/api' || pathname.startsWith('/api/')) return handleApi(req, res, pathname);
      if (pathname.startsWith(SYNC_PATH)) {
        res.setHeader('Upgrade', 'websocket');
        return sendText(res, 426, 'Upgrade Required');
      }
      return handleStatic(req, res, pathname);
    })();
    handled.catch((error: unknown) => {
      logger.error({ method: req.method, path: pathname, err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.destroy();
    });
  });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((error: unknown) => {
      logger.error({ path: req.url, err: error }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'internal');
    });
  });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return rejectUpgrade(socket, 503, 'shutting-down');
    const pathname = (req.url ?? '').split('?')[0] ?? '';
    if (!pathname.startsWith(SYNC_PATH)) return rejectUpgrade(socket, 404, 'not-found');
    // The stock client puts the room name in the path verbatim; ours never needs escaping.
    const address = parseRoomName(pathname.slice(SYNC_PATH.length));
    if (!address) return rejectUpgrade(socket, 400, 'bad-room-name');

    const decision = await authorizeUpgrade(req, address);
    if (!decision.allowed) return rejectUpgrade(socket, decision.status, decision.error);

    let store;
    try {
      store = await files.get(address.workspaceId);
    } catch (error) {
      logger.error({ workspaceId: address.workspaceId, docName: address.docName, err: error }, 'could not open a workspace file');
      return rejectUpgrade(socket, 500, isWorkspaceFileError(error) ? error.code : 'internal');
    }
    if (!store) return rejectUpgrade(socket, 404, 'unknown-workspace');
    if (closing) return rejectUpgrade(socket, 503, 'shutting-down');

    wss.handleUpgrade(req, socket, head, (socket) => {
      const { workspaceId, docName } = address;
      const name = roomName(workspaceId, docName);
      let room = rooms.get(name);
      if (!room) {
        const backend = backends.open({ workspaceId, docName, room: name, store });
        room = new Room(workspaceId, docName, backend, logger, (closed) => {
          if (rooms.get(closed.name) === closed) rooms.delete(closed.name);
        });
        rooms.set(name, room);
      }
      accept(socket, req, room);
    });
  }

  function accept(socket: WebSocket, req: IncomingMessage, room: Room): void {
    const connection = new Connection(socket, req.socket.remoteAddress ?? 'unknown');
    connections.add(connection);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Once closing, clients keep what they sent and send it again on reconnect.
      if (closing) return;
      if (!isBinary) {
        connection.close(CloseCode.unsupportedData, 'binary messages only');
        return;
      }
      room.receive(connection, toBytes(data));
    });
    socket.on('pong', () => {
      connection.answeredPing = true;
    });
    socket.on('error', (error) => {
      logger.warn({ room: room.name, remoteAddress: connection.remoteAddress, err: error }, 'websocket error');
    });
    socket.on('close', () => {
      connections.delete(connection);
      room.leave(connection);
    });
    room.join(connection);
  }

  const keepAlive = setInterval(() => {
    for (const connection of connections) {
      if (!connection.answeredPing) {
        connection.socket.terminate();
        continue;
      }
      connection.answeredPing = false;
      connection.socket.ping();
    }
  }, keepAliveMs);
  keepAlive.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  async function shutDown(): Promise<void> {
    clearInterval(keepAlive);
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await closeSockets([...connections].map((connection) => connection.socket));
    await Promise.all([...rooms.values()].map((room) => room.whenCommitted()));
    for (const room of [...rooms.values()]) room.close(CloseCode.serviceRestart, 'restart');
    wss.close();
    try {
      await backends.close();
    } catch (error) {
      logger.error({ err: error }, 'could not close the room backends');
    }
    try {
      await files.closeAll();
    } catch (error) {
      logger.error({ dataDir: options.dataDir, err: error }, 'could not close every workspace file');
    }
    httpServer.closeAllConnections();
    await httpClosed;
  }

  return {
    url,
    port,
    close: () => (closing ??= shutDown()),
  };
}

/** Closes with 1012 so clients reconnect; sockets that do not answer in time are cut. */
async function closeSockets(sockets: WebSocket[]): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(CloseCode.serviceRestart, 'restart');
      }),
  );
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.terminate();
  }, CLOSE_GRACE_MS);
  await Promise.all(closed);
  clearTimeout(timer);
}

function rejectUpgrade(socket: Duplex, status: number, error: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
