import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { parseRoomName, roomName } from '../../shared/docs';
import type { Id } from '../../shared/ids';
import { join } from 'node:path';
import type { Durability } from '../../shared/node/store';
import { storeRoomBackends, type RoomBackends } from './backend';
import { bearerToken, createAuth, isAdminKey, Revocations, upgradeToken, type AccessGrant, type Auth } from './auth';
import { CloseCode, Connection } from './connection';
import { baseHeaders, createApiHandler, sendJson, sendText } from './http';
import { ConnectionsPerAddress, defaultLimits, type ServerLimits } from './limits';
import { createLogger, type Logger } from './logger';
import { ServerMetrics, type RejectionReason } from './metrics';
import { Room } from './room';
import { createStaticHandler } from './static';
import { WorkspaceFiles, isWorkspaceFileError, storeFileAccess, type WorkspaceFileAccess } from './workspaces';

export { DEFAULT_MAX_MESSAGE_BYTES } from './limits';
// Well inside the stock client's 30 s "no message received" watchdog.
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
const CLOSE_GRACE_MS = 2_000;
export const DEFAULT_IDLE_ROOM_UNLOAD_MS = 60_000;
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
  /** Largest websocket message accepted; bigger ones close the connection (1009). Same as limits.maxMessageBytes. */
  maxMessageBytes?: number;
  /** Per-connection and per-address limits; each field defaults to `defaultLimits`. */
  limits?: Partial<ServerLimits>;
  /** Ping interval; a peer that has not answered the previous ping is dropped. */
  keepAliveMs?: number;
  /** How long a room with no connections stays in memory. Default 60 s. */
  idleRoomUnloadMs?: number;
  /** Take the client address from the last X-Forwarded-For entry (behind a reverse proxy). */
  trustProxy?: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** Serve /metrics (and /healthz) on this port of `metricsHost` instead of the main listener. */
  metricsPort?: number;
  metricsHost?: string;
  /**
   * What an acknowledged update survives in the default SQLite store: `fsync` (default)
   * a power loss, `process` only a crash of the server process (faster commits).
   * Ignored when `workspaceFiles` is given.
   */
  durability?: Durability;
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
  readonly metrics: ServerMetrics;
  /** Where /metrics is served when `metricsPort` was given, e.g. http://127.0.0.1:9464. */
  readonly metricsUrl: string;
  /**
   * Stops accepting, closes clients (1012 by default, so they reconnect; a LAN session
   * that ends passes a 44xx code so they stop), waits for commits and closes the files.
   */
  close(closeWith?: { code: number; reason: string }): Promise<void>;
}

interface RoomAddress {
  workspaceId: Id;
  docName: string;
}

type UpgradeDecision = { allowed: true; grant: AccessGrant | null } | { allowed: false; status: number; error: RejectionReason };

/** Who may open this room, decided before the upgrade so a refused client never gets a socket. */
async function authorizeUpgrade(auth: Auth | null, request: IncomingMessage, room: RoomAddress): Promise<UpgradeDecision> {
  if (!auth) return { allowed: true, grant: null };
  const token = upgradeToken(request.url, request.headers['sec-websocket-protocol']);
  if (!token) return { allowed: false, status: 401, error: 'token-required' };
  const verified = await auth.verify(token);
  if (!verified.ok) return { allowed: false, status: verified.reason === 'revoked' ? 403 : 401, error: `token-${verified.reason}` as const };
  if (verified.grant.workspaceId !== room.workspaceId) return { allowed: false, status: 403, error: 'wrong-workspace' };
  return { allowed: true, grant: verified.grant };
}

// setTimeout takes at most 2^31-1 ms; later expiries are caught by the keep-alive sweep.
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createLogger();
  const limits: ServerLimits = { ...defaultLimits, ...options.limits };
  if (options.maxMessageBytes) limits.maxMessageBytes = options.maxMessageBytes;
  const idleRoomUnloadMs = options.idleRoomUnloadMs ?? DEFAULT_IDLE_ROOM_UNLOAD_MS;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;

  const backends = options.roomBackends ?? storeRoomBackends;
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  const perAddress = new ConnectionsPerAddress(limits.connectionsPerIp);
  const metrics = new ServerMetrics({ connections: () => connections.size, rooms: () => rooms.size });
  backends.attachMetrics?.(metrics);
  options.workspaceFiles?.attachMetrics?.(metrics);
  const files = new WorkspaceFiles(
    options.dataDir,
    options.workspaceFiles ??
      storeFileAccess(logger, {
        onCompacted: (_docName, durationMs) => metrics.observeCompaction(durationMs / 1000),
        onWalSynced: (durationMs) => metrics.observeWalSync(durationMs / 1000),
        durability: options.durability ?? 'fsync',
      }),
  );
  const auth = options.auth ? createServerAuth(options, logger) : null;
  if (!auth) logger.warn({}, 'NO TOKEN SECRET CONFIGURED: the server is open, anyone who can reach it can read and change every workspace');
  const adminKey = options.adminKey ?? null;
  const handleApi = createApiHandler(files, logger, { auth, adminKey });
  const stopRevocations = auth?.revocations.onRevoked((tokenIds) => {
    const revoked = new Set(tokenIds);
    for (const connection of connections) {
      if (connection.grant && revoked.has(connection.grant.tokenId)) {
        metrics.reject('revoked-while-connected');
        connection.close(CloseCode.tokenRevoked, 'token-revoked');
      }
    }
  });
  const handleStatic = createStaticHandler(options.staticDir);
  let closing: Promise<void> | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    // Off (ws's default too): Connection.sendFrame writes whole frames beside ws's sender,
    // which holds frames back only while compressing.
    perMessageDeflate: false,
    // A client that sends its token as a subprotocol must get one back; `stratboard` if offered.
    handleProtocols: (protocols) => (protocols.has('stratboard') ? 'stratboard' : ([...protocols][0] ?? false)),
  });

  const httpServer: Server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const handled = (async () => {
      if (pathname === '/healthz') return sendText(res, 200, 'ok');
      if (pathname === '/metrics' && options.metricsPort === undefined) return serveMetrics(req, res);
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
    // The path only: the query may carry an access token. Taken here so that no closure
    // below holds `req`: the socket's error listener lives as long as the connection, and
    // it would keep the request (headers, the URL with the token) in memory with it.
    const path = (req.url ?? '').split('?')[0];
    socket.on('error', destroySocket);
    upgrade(req, socket, head).catch((error: unknown) => {
      logger.error({ path, err: error }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'internal');
    });
  });

  async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.metricsToken !== undefined) {
      const presented = bearerToken(req.headers.authorization);
      if (!presented || !isAdminKey(presented, options.metricsToken)) return sendJson(res, 401, { error: 'credential-required' });
    }
    const body = await metrics.render();
    res.writeHead(200, { ...baseHeaders, 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  }

  function refuse(socket: Duplex, status: number, reason: RejectionReason | 'not-found' | 'internal'): void {
    if (reason !== 'not-found' && reason !== 'internal') metrics.reject(reason);
    rejectUpgrade(socket, status, reason);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return refuse(socket, 503, 'shutting-down');
    const pathname = (req.url ?? '').split('?')[0] ?? '';
    if (!pathname.startsWith(SYNC_PATH)) return refuse(socket, 404, 'not-found');
    // The stock client puts the room name in the path verbatim; ours never needs escaping.
    const address = parseRoomName(pathname.slice(SYNC_PATH.length));
    if (!address) return refuse(socket, 400, 'bad-room-name');

    const decision = await authorizeUpgrade(auth, req, address);
    if (!decision.allowed) return refuse(socket, decision.status, decision.error);

    let store;
    try {
      store = await files.get(address.workspaceId);
    } catch (error) {
      logger.error({ workspaceId: address.workspaceId, docName: address.docName, err: error }, 'could not open a workspace file');
      return rejectUpgrade(socket, 500, isWorkspaceFileError(error) ? error.code : 'internal');
    }
    if (!store) return refuse(socket, 404, 'unknown-workspace');
    if (closing) return refuse(socket, 503, 'shutting-down');
    const clientAddress = addressOf(req, options.trustProxy ?? false);
    if (!perAddress.acquire(clientAddress)) return refuse(socket, 429, 'too-many-connections');
    // The TCP socket closes with the websocket, or alone if the handshake fails.
    socket.once('close', () => perAddress.release(clientAddress));

    wss.handleUpgrade(req, socket, head, (websocket) => {
      const { workspaceId, docName } = address;
      const name = roomName(workspaceId, docName);
      let room = rooms.get(name);
      if (!room) {
        const backend = backends.open({ workspaceId, docName, room: name, store });
        room = new Room(workspaceId, docName, backend, logger, forgetRoom, roomOptions);
        // Keyed by the room's own copy of the name: one string per room, not two.
        rooms.set(room.name, room);
      }
      accept(websocket, socket, clientAddress, room, decision.grant);
    });
  }

  // Shared by every room rather than allocated per room.
  const roomOptions = { metrics, maxDocBytes: limits.maxDocBytes, idleUnloadMs: idleRoomUnloadMs };
  function forgetRoom(closed: Room): void {
    if (rooms.get(closed.name) === closed) rooms.delete(closed.name);
  }

  function accept(socket: WebSocket, stream: Duplex, clientAddress: string, room: Room, grant: AccessGrant | null): void {
    const connection = new Connection(socket, stream, clientAddress, grant, limits, metrics);
    connections.add(connection);
    if (grant) sweepExpiredAt(grant.expiresAt * 1000);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Once closing, clients keep what they sent and send it again on reconnect.
      if (closing) return;
      const bytes = toBytes(data);
      if (!connection.admit(bytes.length)) return;
      if (!isBinary) {
        metrics.reject('text-message');
        connection.close(CloseCode.unsupportedData, 'binary messages only');
        return;
      }
      room.receive(connection, bytes);
    });
    socket.on('pong', () => {
      connection.answeredPing = true;
    });
    socket.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself (1009 for an oversized message, 1002 for bad frames).
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.reject('message-too-big');
      else metrics.reject('malformed-message');
      logger.warn({ room: room.name, remoteAddress: connection.remoteAddress, err: error }, 'websocket error');
    });
    socket.on('close', () => {
      connections.delete(connection);
      room.leave(connection);
    });
    room.join(connection);
  }

  function expire(connection: Connection): void {
    if (!connection.isOpen) return;
    metrics.reject('expired-while-connected');
    connection.close(CloseCode.tokenExpired, 'token-expired');
  }

  // Token expiry: one timer for the whole server, due at the soonest expiry among the
  // open connections, instead of a timer per connection. Each sweep closes what is due
  // and sets the timer for the next expiry.
  let expiryTimer: NodeJS.Timeout | null = null;
  let expirySweepAt = Infinity;

  function sweepExpiredAt(atMs: number): void {
    if (atMs >= expirySweepAt || closing) return;
    const delayMs = atMs - Date.now();
    // Beyond what setTimeout takes: the keep-alive sweep checks expiry too.
    if (delayMs > MAX_TIMER_MS) return;
    if (expiryTimer) clearTimeout(expiryTimer);
    expirySweepAt = atMs;
    expiryTimer = setTimeout(sweepExpired, Math.max(0, delayMs));
    expiryTimer.unref();
  }

  function sweepExpired(): void {
    expiryTimer = null;
    expirySweepAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const connection of connections) {
      if (!connection.grant || !connection.isOpen) continue;
      const expiresAtMs = connection.grant.expiresAt * 1000;
      if (expiresAtMs <= now) expire(connection);
      else next = Math.min(next, expiresAtMs);
    }
    if (next !== Infinity) sweepExpiredAt(next);
  }

  const keepAlive = setInterval(() => {
    const nowSeconds = Date.now() / 1000;
    for (const connection of connections) {
      if (connection.grant && connection.grant.expiresAt <= nowSeconds) {
        expire(connection);
        continue;
      }
      if (!connection.answeredPing) {
        metrics.reject('keepalive-timeout');
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

  let metricsServer: Server | null = null;
  let metricsUrl = `${url}/metrics`;
  if (options.metricsPort !== undefined) {
    const metricsHost = options.metricsHost ?? '127.0.0.1';
    const server = createServer((req, res) => {
      const pathname = (req.url ?? '/').split('?')[0];
      const handled = pathname === '/metrics' ? serveMetrics(req, res) : Promise.resolve(sendText(res, pathname === '/healthz' ? 200 : 404, pathname === '/healthz' ? 'ok' : 'not found'));
      handled.catch((error: unknown) => {
        logger.error({ err: error }, 'metrics request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      });
    });
    metricsServer = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.metricsPort, metricsHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const metricsPort = (server.address() as AddressInfo).port;
    metricsUrl = `http://${metricsHost.includes(':') ? `[${metricsHost}]` : metricsHost}:${metricsPort}/metrics`;
  }

  if (auth) {
    await auth.revocations.load();
    auth.revocations.watch(options.revocationPollMs ?? 2_000, (error) =>
      logger.error({ file: auth.revocations.file, err: error }, 'could not read the revocations file'),
    );
  }

  async function shutDown(closeWith: { code: number; reason: string }): Promise<void> {
    clearInterval(keepAlive);
    if (expiryTimer) clearTimeout(expiryTimer);
    auth?.revocations.stop();
    stopRevocations?.();
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await closeSockets(
      [...connections].map((connection) => connection.socket),
      closeWith,
    );
    await Promise.all([...rooms.values()].map((room) => room.whenCommitted()));
    for (const room of [...rooms.values()]) room.close(closeWith.code, closeWith.reason);
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
    if (metricsServer) {
      const server = metricsServer;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  return {
    url,
    port,
    auth,
    metrics,
    metricsUrl,
    close: (closeWith = { code: CloseCode.serviceRestart, reason: 'restart' }) => (closing ??= shutDown(closeWith)),
  };
}

/** The client's address: the socket's peer, or behind a trusted proxy the last X-Forwarded-For hop. */
function addressOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
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

/** Closes with the given code; sockets that do not answer in time are cut. */
async function closeSockets(sockets: WebSocket[], closeWith: { code: number; reason: string }): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(closeWith.code, closeWith.reason);
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

function destroySocket(this: Duplex): void {
  this.destroy();
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
