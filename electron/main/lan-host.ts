import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { SESSION_ENDED_CLOSE_CODE } from '../../shared/close-codes';
import { HostError, type LanAddress, type LanSessionInfo } from '../../shared/host';
import { joinLinkFor } from '../../shared/links';
import type { Id } from '../../shared/ids';
import { WorkspaceFileError } from '../../shared/node/store';
import type { RoomBackends } from '../../sync-server/src/backend';
import type { Logger } from '../../sync-server/src/logger';
import { startSyncServer, type SyncServer } from '../../sync-server/src/server';
import type { WorkspaceFileAccess, WorkspaceStore } from '../../sync-server/src/workspaces';
import type { AttachedPeer, WorkspacePeer, WorkspaceService } from './workspaces';

// A LAN live session: the desktop app runs the same sync server as a real deployment,
// in-process, on the workspace file it already holds open, bound to the address phones
// in the hall can reach, and serving the browser edition so they need nothing installed.
// No `electron` import: Vitest starts and stops sessions for real.

type Interfaces = ReturnType<typeof networkInterfaces>;

/** Addresses other devices on the network can reach: non-internal IPv4, Wi-Fi and Ethernet alike. */
export function lanAddresses(interfaces: Interfaces = networkInterfaces()): LanAddress[] {
  const found: LanAddress[] = [];
  for (const [name, entries] of Object.entries(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal && !entry.address.startsWith('169.254.')) {
        found.push({ name, address: entry.address });
      }
    }
  }
  return found;
}

export interface LanSessionOptions {
  /** The workspace's open file, joined as a peer of the app's windows. */
  workspaces: Pick<WorkspaceService, 'attachPeer'>;
  workspaceId: Id;
  /** The address to listen on (one of lanAddresses(), or loopback in tests). */
  host: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built browser edition (out/web) that participants' phones load. */
  staticDir?: string;
  logger?: Logger;
}

/** How long a participant's link works at most; stopping the session ends it sooner. */
export const LAN_TOKEN_TTL_SECONDS = 12 * 3600;

export interface LanSession {
  readonly workspaceId: Id;
  /** Where participants go, e.g. http://192.168.1.20:41234 */
  readonly url: string;
  /** A join link with a fresh token of this role, signed with the session's own secret. */
  joinLink(role: ParticipantRole): Promise<string>;
  /** Disconnects every participant with SESSION_ENDED_CLOSE_CODE and stops listening; the file stays open. */
  stop(): Promise<void>;
}

export type ParticipantRole = 'editor' | 'viewer';

export async function startLanSession(options: LanSessionOptions): Promise<LanSession> {
  const listeners = new Map<string, Set<(update: Uint8Array) => void>>();
  const peer: WorkspacePeer = {
    onCommitted(docName, update) {
      for (const listener of listeners.get(docName) ?? []) listener(update);
    },
  };
  const attached = options.workspaces.attachPeer(options.workspaceId, peer);
  const { workspaceId } = options;
  // WorkspaceFiles asks for `<dataDir>/<id>.stratboard`; only the hosted workspace exists here.
  const dataDir = join('lan-session', options.workspaceId);
  let server: SyncServer;
  try {
    server = await startSyncServer({
      host: options.host,
      port: options.port ?? 0,
      dataDir,
      ...(options.staticDir ? { staticDir: options.staticDir } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      workspaceFiles: hostedFileAccess(attached, join(dataDir, `${workspaceId}.stratboard`)),
      roomBackends: hostedRoomBackends(attached, listeners),
      // A secret per session: links from an earlier session, or another laptop's, open nothing.
      // Revocations stay in memory, as the secret does.
      auth: { secret: randomBytes(32), revocationsFile: null, maxTtlSeconds: LAN_TOKEN_TTL_SECONDS },
    });
  } catch (error) {
    attached.detach();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRNOTAVAIL' || code === 'EADDRINUSE' || code === 'EACCES') {
      throw new HostError('lan-unavailable', `cannot listen on ${options.host}:${options.port ?? 0}: ${String(error)}`);
    }
    throw error;
  }

  let stopping: Promise<void> | null = null;
  const auth = server.auth!;
  return {
    workspaceId,
    url: server.url,
    async joinLink(role) {
      const { token } = await auth.issue({ workspaceId, role, ttlSeconds: LAN_TOKEN_TTL_SECONDS });
      return joinLinkFor(server.url, workspaceId, undefined, token);
    },
    stop: () =>
      (stopping ??= server.close({ code: SESSION_ENDED_CLOSE_CODE, reason: 'session-ended' }).finally(() => attached.detach())),
  };
}

/** The server's view of the already-open file: reads go to it, closing is left to the app. */
function hostedFileAccess(attached: AttachedPeer, hostedPath: string): WorkspaceFileAccess {
  const { file } = attached;
  const store: WorkspaceStore = {
    workspaceId: file.workspaceId,
    name: file.name,
    loadDoc: (docName, doc) => file.loadDoc(docName, doc),
    encodeDocState: (docName) => file.encodeDocState(docName),
    appendUpdate: (docName, update) => attached.append(docName, update),
    flush: () => file.flush(),
    close: () => {},
  };
  return {
    open(path) {
      if (path !== hostedPath) throw new WorkspaceFileError('not-found', path, 'only the hosted workspace is served in a LAN session');
      return store;
    },
    create(path) {
      throw new WorkspaceFileError('already-exists', path, 'a LAN session serves one workspace and creates none');
    },
  };
}

/**
 * Rooms commit participants' updates through the peer (so the app's windows get them)
 * and hear of the windows' commits as remote updates, already durable. Listening starts
 * when the room opens, before it loads, and what arrives meanwhile waits for subscribe:
 * nothing committed in between is missed, and applying an update twice is a no-op.
 */
function hostedRoomBackends(attached: AttachedPeer, listeners: Map<string, Set<(update: Uint8Array) => void>>): RoomBackends {
  return {
    open({ docName }) {
      const early: Uint8Array[] = [];
      let deliver: ((update: Uint8Array) => void) | null = null;
      const listener = (update: Uint8Array) => (deliver ? deliver(update) : early.push(update));
      let set = listeners.get(docName);
      if (!set) listeners.set(docName, (set = new Set()));
      set.add(listener);
      return {
        load: async (doc) => attached.file.loadDoc(docName, doc),
        append: (update) => attached.append(docName, update),
        subscribe(onRemoteUpdate) {
          deliver = onRemoteUpdate;
          for (const update of early.splice(0)) onRemoteUpdate(update);
        },
        close: () => void set.delete(listener),
      };
    },
    close: () => Promise.resolve(),
  };
}

export interface LanHostingDeps {
  workspaces: Pick<WorkspaceService, 'attachPeer'>;
  staticDir?: string;
  logger?: Logger;
  /** The machine's LAN addresses; tests pass loopback. */
  addresses?: () => LanAddress[];
}

/** The desktop app's LAN sessions, at most one per workspace. */
export interface LanHostingService {
  addresses(): LanAddress[];
  current(workspaceId: Id): LanSessionInfo | null;
  start(workspaceId: Id, address: string): Promise<LanSessionInfo>;
  joinLink(workspaceId: Id, role: ParticipantRole): Promise<string>;
  stop(workspaceId: Id): Promise<void>;
  /** Ends every session (on quit, before the workspace files close). */
  stopAll(): Promise<void>;
}

export function createLanHosting(deps: LanHostingDeps): LanHostingService {
  const addresses = deps.addresses ?? (() => lanAddresses());
  const sessions = new Map<Id, LanSession>();
  const infoOf = (session: LanSession): LanSessionInfo => ({ workspaceId: session.workspaceId, url: session.url });
  const running = (workspaceId: Id): LanSession => {
    const session = sessions.get(workspaceId);
    if (!session) throw new HostError('not-found', `no LAN session for ${workspaceId}`);
    return session;
  };

  return {
    addresses,
    current: (workspaceId) => {
      const session = sessions.get(workspaceId);
      return session ? infoOf(session) : null;
    },
    async start(workspaceId, address) {
      // Only addresses of this machine's network interfaces: never 0.0.0.0 or a public one.
      if (!addresses().some((offered) => offered.address === address)) {
        throw new HostError('lan-unavailable', `${address} is not a LAN address of this computer`);
      }
      const previous = sessions.get(workspaceId);
      if (previous) {
        sessions.delete(workspaceId);
        await previous.stop();
      }
      const session = await startLanSession({
        workspaces: deps.workspaces,
        workspaceId,
        host: address,
        ...(deps.staticDir ? { staticDir: deps.staticDir } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
      });
      sessions.set(workspaceId, session);
      return infoOf(session);
    },
    joinLink: (workspaceId, role) => running(workspaceId).joinLink(role),
    async stop(workspaceId) {
      const session = sessions.get(workspaceId);
      if (!session) return;
      sessions.delete(workspaceId);
      await session.stop();
    },
    async stopAll() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map((session) => session.stop()));
    },
  };
}
