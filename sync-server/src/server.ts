import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { parseRoomName, roomName } from '../../shared/docs';
import type { Id } from '../../shared/ids';
import { storeRoomBackends, type RoomBackends } from './backend';
import { join } from 'node:path';
import { createAuth, Revocations, upgradeToken, type AccessGrant, type Auth } from './auth';
import { CloseCode, Connection } from './connection';
import { baseHeaders, createApiHandler, sendJson, sendText } from './http';
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
  /**
   * Token auth. Without it the server runs open (local development): anyone may open
   * any room. With it every socket and the workspace API need a token.
   */
  auth?: {
    /** HS256 key, at least 32 bytes. */
    secret: Uint8Array;
    /** Where revocations persist; `<dataDir>/revoked-tokens.json` by default, null keeps them in memory. */
    revocationsFile?: string | null;
    /** Longest token lifetime the API issues; 90 days by default. */
    maxTtlSeconds?: number;
  };
  /** Authorises the admin API (compared in constant time). */
  adminKey?: string;
  /** How often the revocations file is checked for revocations made by the CLI. */
  revocationPollMs?: number;
}

export interface SyncServer {
  /** e.g. http://127.0.0.1:8787 (no trailing slash); websockets at `${url}/sync`. */
  readonly url: string;
  readonly port: number;
  /** Issues and verifies tokens; null when the server runs open. */
  readonly auth: Auth | null;
  /** Stops accepting, closes clients with 1012, waits for commits and closes the files. */
  close(): Promise<void>;
}

interface RoomAddress {
  workspaceId: Id;
  docName: string;
}

type UpgradeDecision = { allowed: true; grant: AccessGrant | null } | { allowed: false; status: number; error: string };

/** Who may open this room, decided before the upgrade so a refused client never gets a socket. */
async function authorizeUpgrade(auth: Auth | null, request: IncomingMessage, room: RoomAddress): Promise<UpgradeDecision> {
  if (!auth) return { allowed: true, grant: null };
  const token = upgradeToken(request.url, request.headers['sec-websocket-protocol']);
  if (!token) return { allowed: false, status: 401, error: 'token-required' };
  const verified = await auth.verify(token);
  if (!verified.ok) return { allowed: false, status: verified.reason === 'revoked' ? 403 : 401, error: `token-${verified.reason}` };
  if (verified.grant.workspaceId !== room.workspaceId) return { allowed: false, status: 403, error: 'wrong-workspace' };
  return { allowed: true, grant: verified.grant };
}

// setTimeout takes at most 2^31-1 ms; longer expiries are caught by the keep-alive sweep.
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? consoleLogger;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const files = new WorkspaceFiles(options.dataDir, options.workspaceFiles ?? storeFileAccess(logger));
  const backends = options.roomBackends ?? storeRoomBackends;
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  const auth = options.auth ? createServerAuth(options, logger) : null;
  if (!auth) logger.warn({}, 'NO TOKEN SECRET CONFIGURED: the server is open, anyone who can reach it can read and change every workspace');
  const adminKey = options.adminKey ?? null;
  const handleApi = createApiHandler(files, logger, { auth, adminKey });
  const stopRevocations = auth?.revocations.onRevoked((tokenIds) => {
    const revoked = new Set(tokenIds);
    for (const connection of connections) {
      if (connection.grant && revoked.has(connection.grant.tokenId)) connection.close(CloseCode.tokenRevoked, 'token-revoked');
    }
  });
  const handleStatic = createStaticHandler(options.staticDir);
  let closing: Promise<void> | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    // A client that sends its token as a subprotocol must get one back; `stratboard` if offered.
    handleProtocols: (protocols) => (protocols.has('stratboard') ? 'stratboard' : ([...protocols][0] ?? false)),
  });

  const httpServer: Server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const handled = (async () => {
      if (pathname === '/healthz') return sendText(res, 200, 'ok');
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        if (allowCrossOrigin(req, res, auth !== null)) return;
        return handleApi(req, res, pathname);
      }
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

    const decision = await authorizeUpgrade(auth, req, address);
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
      accept(socket, req, room, decision.grant);
    });
  }

  function accept(socket: WebSocket, req: IncomingMessage, room: Room, grant: AccessGrant | null): void {
    const connection = new Connection(socket, req.socket.remoteAddress ?? 'unknown', grant);
    connections.add(connection);
    if (grant) {
      const remainingMs = grant.expiresAt * 1000 - Date.now();
      if (remainingMs <= MAX_TIMER_MS) {
        connection.expiryTimer = setTimeout(() => connection.close(CloseCode.tokenExpired, 'token-expired'), Math.max(0, remainingMs));
        connection.expiryTimer.unref();
      }
    }
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
      if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
      connections.delete(connection);
      room.leave(connection);
    });
    room.join(connection);
  }

  const keepAlive = setInterval(() => {
    const nowSeconds = Date.now() / 1000;
    for (const connection of connections) {
      if (connection.grant && connection.grant.expiresAt <= nowSeconds) {
        connection.close(CloseCode.tokenExpired, 'token-expired');
        continue;
      }
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

  if (auth) {
    await auth.revocations.load();
    auth.revocations.watch(options.revocationPollMs ?? 2_000, (error) =>
      logger.error({ file: auth.revocations.file, err: error }, 'could not read the revocations file'),
    );
  }

  async function shutDown(): Promise<void> {
    clearInterval(keepAlive);
    auth?.revocations.stop();
    stopRevocations?.();
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
    auth,
    close: () => (closing ??= shutDown()),
  };
}

function createServerAuth(options: SyncServerOptions, logger: Logger): Auth {
  const { secret, revocationsFile, maxTtlSeconds } = options.auth!;
  const file = revocationsFile === undefined ? join(options.dataDir, 'revoked-tokens.json') : revocationsFile;
  logger.info({ revocationsFile: file }, 'token auth on');
  return createAuth({ secret, revocations: new Revocations(file), ...(maxTtlSeconds ? { maxTtlSeconds } : {}) });
}

/**
 * CORS for the API, so the desktop app and other origins can call it with a bearer
 * credential (never cookies). An open server only allows reads across origins.
 * Returns true when the request was a preflight and has been answered.
 */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, authOn: boolean): boolean {
  const methods = authOn ? 'GET, HEAD, POST, PUT' : 'GET, HEAD';
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    ...baseHeaders,
    'Access-Control-Allow-Methods': methods,
    'Access-Control-Allow-Headers': 'authorization, content-type',
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
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
